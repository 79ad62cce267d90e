package repo

import (
	"bufio"
	"io"
	"os"
	"path/filepath"

	"github.com/pm-tool/pm/internal/cachefile"
)

// SiteMemo is where pm site keeps what it learnt of the last build (see
// site.Memo): a checked file in the git dir beside the metadata cache,
// named with the folder it is of, so that a damaged or foreign one is
// ignored and the build is a full one.
type SiteMemo struct{ path, folder string }

const siteMemoMagic = "pm-site 1\n"

// SiteMemo is the memo of the store's folder, or nil outside git, where
// there is no place for it that is not the user's.
func (s *Store) SiteMemo() *SiteMemo {
	if s.Git == nil {
		return nil
	}
	return &SiteMemo{path: filepath.Join(s.Git.GitDir, "pm", "site"), folder: s.Folder}
}

// Load is the memo as last stored, or nil.
func (m *SiteMemo) Load() []byte {
	buf, err := os.ReadFile(m.path)
	if err != nil {
		return nil
	}
	r, ok := cachefile.Checked(buf, siteMemoMagic, m.folder)
	if !ok {
		return nil
	}
	return r.B
}

// Store replaces the memo atomically with what write writes (about size
// bytes), or leaves it when the disk is nearly full or the git dir cannot
// be written: the next build is then a full one, which is all a memo
// saves.
func (m *SiteMemo) Store(size int, write func(io.Writer)) {
	if !roomForCache(filepath.Dir(m.path), size) {
		return
	}
	cachefile.WriteChecked(m.path, func(bw *bufio.Writer) {
		var w cachefile.Writer
		w.B = append(w.B, siteMemoMagic...)
		w.Str(m.folder)
		_, _ = bw.Write(w.B)
		write(bw)
	})
}
