package cli

import "github.com/pm-tool/pm/internal/repo"

// cache is the workspace's metadata cache (repo.Cache): in this work tree's
// git dir, or outside git beside the lock in the incident folder. Choosing
// the open incident, pm new's earlier incidents and the listing commands
// read incidents through it, so that they stat each file instead of
// parsing it.
func (w *workspace) cache() repo.Cache { return w.store.Cache() }
