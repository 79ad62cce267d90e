package repo

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// DubiousOwnershipError is git's "detected dubious ownership": the
// repository belongs to another user, and neither git nor pm works in it
// until that user's repository is declared safe. A root pm committing in
// someone else's clone would leave root-owned objects that break their
// next git commit.
type DubiousOwnershipError struct{ Dir string }

func (e *DubiousOwnershipError) Error() string {
	return fmt.Sprintf("detected dubious ownership in repository at '%s' (it belongs to another user); if you trust it, add an exception as git suggests:\n  git config --global --add safe.directory %s", e.Dir, ShellQuote(e.Dir))
}

// ExitCode: git refuses with 128; pm's contract has 2 for what cannot be
// processed.
func (e *DubiousOwnershipError) ExitCode() int { return 2 }

// checkOwnership is git's ensure_valid_ownership: the work tree and the git
// dir must belong to the user running pm (for root under sudo, SUDO_UID),
// unless safe.directory in the system, global or command-line config is
// "*" or names the work tree. An empty value clears the list, as in git.
func (r *Repo) checkOwnership(getenv func(string) string) error {
	euid := os.Geteuid()
	if euid < 0 {
		return nil // Windows: git checks owner SIDs, which pm does not read
	}
	me := uint32(euid)
	sudo := uint32(0)
	hasSudo := false
	if euid == 0 {
		if v, err := strconv.ParseUint(getenv("SUDO_UID"), 10, 32); err == nil {
			sudo, hasSudo = uint32(v), true
		}
	}
	owned := func(p string) bool {
		fi, err := os.Stat(p)
		if err != nil {
			return true // a missing folder is reported elsewhere
		}
		uid := statOf(fi).uid
		return uid == me || hasSudo && uid == sudo
	}
	if owned(r.Root) && owned(r.GitDir) {
		return nil
	}
	cfg, err := (*Repo)(nil).loadConfig(getenv)
	if err != nil {
		return err
	}
	safe := false
	for _, e := range cfg.entries {
		if !strings.EqualFold(e.section, "safe") || e.subsection != "" || !strings.EqualFold(e.key, "directory") {
			continue
		}
		v := expandHome(e.value, getenv)
		switch {
		case v == "":
			safe = false
		case v == "*" || filepath.Clean(v) == r.Root || filepath.Clean(v) == r.GitDir:
			safe = true
		}
	}
	if safe {
		return nil
	}
	return &DubiousOwnershipError{Dir: r.Root}
}
