package repo

// Editor is the command git would start to edit a file, in git's order:
// $GIT_EDITOR, core.editor, $VISUAL, $EDITOR, then vi. The result is a
// shell command line (it may hold arguments, as "code --wait" does); run
// it as git does, with sh -c '<editor> "$@"'. r may be nil outside a
// repository, where only the global and system config count.
func (r *Repo) Editor(getenv func(string) string) string {
	if e := getenv("GIT_EDITOR"); e != "" {
		return e
	}
	if cfg, err := r.loadConfig(getenv); err == nil {
		if e, ok := cfg.get("core", "", "editor"); ok && e != "" {
			return e
		}
	}
	for _, name := range []string{"VISUAL", "EDITOR"} {
		if e := getenv(name); e != "" {
			return e
		}
	}
	return "vi"
}
