package incident

import (
	"fmt"
	"strings"
)

// edit replaces src[start:end] with ins, parses the result, lets verify compare it with d, and
// only then adopts it. A failed edit leaves d untouched.
func (d *Doc) edit(start, end int, ins string, verify func(nd *Doc) error) error {
	ns := make([]byte, 0, len(d.src)-(end-start)+len(ins))
	ns = append(ns, d.src[:start]...)
	ns = append(ns, ins...)
	ns = append(ns, d.src[end:]...)
	nd, err := Parse(d.Path, ns)
	if err != nil {
		return fmt.Errorf("the file was left unchanged because the edit would make it unreadable: %w", err)
	}
	if verify != nil {
		if err := verify(nd); err != nil {
			return err
		}
	}
	*d = *nd
	return nil
}

// withEOL converts the "\n" line endings of text pm generates to the file's own.
func (d *Doc) withEOL(s string) string {
	if !d.crlf {
		return s
	}
	return strings.ReplaceAll(s, "\n", "\r\n")
}

// insertLines inserts md (whole lines ending in "\n") before line n; n past the last line appends,
// ending the last line first if it has no newline.
func (d *Doc) insertLines(n int, md string, verify func(nd *Doc) error) error {
	at, ins := d.lineStart(n), d.withEOL(md)
	if n > d.numLines() {
		at = len(d.src)
		if at > 0 && d.src[at-1] != '\n' {
			ins = d.eol() + ins
		}
	}
	return d.edit(at, at, ins, verify)
}
