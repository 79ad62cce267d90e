package repo

import (
	"os"
	"strconv"
	"strings"
)

// sharedPerm is core.sharedRepository as git reads it (git_config_perm in
// setup.c): 0 leaves modes to the umask; 0660 ("group", "true", "1") and
// 0664 ("all", "world", "everybody", "2") add group (and world) bits; an
// octal 0xxx is the exact mode, returned negated as git keeps it. A value
// git would refuse is treated as 0: git itself refuses to run then, so
// pm's commit never gets this far.
func sharedPerm(cfg *configSet) int {
	if cfg == nil {
		return 0
	}
	v, ok := cfg.get("core", "", "sharedrepository")
	if !ok {
		return 0
	}
	switch strings.ToLower(v) {
	case "", "umask", "false", "0", "no", "off":
		return 0
	case "group", "true", "1", "yes", "on":
		return 0o660
	case "all", "world", "everybody", "2":
		return 0o664
	}
	n, err := strconv.ParseInt(v, 8, 32)
	if err != nil || n&0o600 != 0o600 {
		return 0
	}
	return -int(n & 0o666)
}

// shared is sharedPerm of the configuration this Repo has read (0 before
// it read any: every writing path loads it first).
func (r *Repo) shared() int {
	r.heldMu.Lock()
	defer r.heldMu.Unlock()
	return sharedPerm(r.config)
}

// calcSharedPerm is git's calc_shared_perm: the mode a file or folder of
// mode gets in a shared repository. A read-only file (a loose object)
// stays read-only; what the owner may execute, the others may too.
func calcSharedPerm(shared int, mode os.FileMode) os.FileMode {
	tweak := os.FileMode(shared)
	if shared < 0 {
		tweak = os.FileMode(-shared)
	}
	if mode&0o200 == 0 {
		tweak &^= 0o222
	}
	if mode&0o100 != 0 {
		tweak |= (tweak & 0o444) >> 2
	}
	if shared < 0 {
		return mode&^0o777 | tweak
	}
	return mode | tweak
}

// adjustShared is git's adjust_shared_perm on a file or folder pm has just
// made in the git directory: with core.sharedRepository set, the modes git
// would give it, and a folder's set-group-id bit so that what is made in
// it keeps the group. Without it, nothing: the umask decided. Errors are
// returned so the caller can fail as git does ("unable to set permission").
func adjustShared(shared int, path string) error {
	if shared == 0 {
		return nil
	}
	fi, err := os.Lstat(path)
	if err != nil {
		return err
	}
	mode := fi.Mode()
	want := calcSharedPerm(shared, mode.Perm())
	setgid := mode&os.ModeSetgid != 0
	if fi.IsDir() {
		want |= (want & 0o444) >> 2
		// g+s matters only where the group is given access (git's
		// FORCE_DIR_SET_GID).
		setgid = setgid || want&0o060 != 0
	}
	if want == mode.Perm() && setgid == (mode&os.ModeSetgid != 0) {
		return nil
	}
	if setgid {
		want |= os.ModeSetgid
	}
	return os.Chmod(path, want)
}
