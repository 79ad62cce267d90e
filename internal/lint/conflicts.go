package lint

import (
	"fmt"
	"unicode/utf8"
)

// conflictMarker says which git conflict marker a line is, if any: '<'
// ("<<<<<<< ours"), '|' ("||||||| base", diff3) or '>' (">>>>>>> theirs");
// 0 for any other line. Markers are exactly seven characters at the start
// of the line, as git writes them. The "=======" between the sides is not
// needed to find a conflict, and alone it is a heading's underline.
func conflictMarker(l []byte) byte {
	if len(l) < 7 {
		return 0
	}
	c := l[0]
	switch c {
	case '<', '|', '>':
	default:
		return 0
	}
	for _, b := range l[1:7] {
		if b != c {
			return 0
		}
	}
	if len(l) == 7 || l[7] == ' ' {
		return c
	}
	return 0
}

// conflicts reports merge conflicts left in the file: one finding
// per conflict, at its <<<<<<< line, spanning to its >>>>>>> line. pm's
// merge driver leaves markers only in prose it could not merge; git's own
// merge leaves them anywhere. Markers inside code blocks are text (a
// post-mortem may quote a conflict).
func (f *file) conflicts() {
	s := f.s
	open := 0 // line of the <<<<<<< of the conflict being read
	report := func(from, to int, msg string) {
		fd := Finding{Line: from, Column: 1, Rule: "conflict-markers", Message: msg}
		if to > 0 {
			fd.EndLine, fd.EndColumn = to, utf8.RuneCount(s.line(to))+1
		}
		f.add(fd)
	}
	for n := 1; n <= s.numLines(); n++ {
		if s.kind[n-1] == kindCode {
			continue
		}
		l := s.line(n)
		if len(l) < 7 {
			continue
		}
		switch conflictMarker(l) {
		case '<':
			if open > 0 {
				report(open, n-1, "unresolved merge conflict: its <<<<<<< has no >>>>>>> before the next conflict; resolve it by keeping the text that is right and deleting the marker lines")
			}
			open = n
		case '>':
			if open == 0 {
				report(n, 0, "a >>>>>>> merge conflict marker with no <<<<<<< before it: resolve the conflict (keep the text that is right) and delete the marker lines")
				continue
			}
			report(open, n, fmt.Sprintf("unresolved merge conflict (lines %d–%d): resolve it by keeping the text that is right and deleting the <<<<<<<, ======= and >>>>>>> lines", open, n))
			open = 0
		case '|':
			if open == 0 {
				report(n, 0, "a ||||||| merge conflict marker with no <<<<<<< before it: resolve the conflict (keep the text that is right) and delete the marker lines")
			}
		}
	}
	if open > 0 {
		report(open, 0, "unresolved merge conflict: its <<<<<<< has no >>>>>>> after it; resolve it by keeping the text that is right and deleting the marker lines")
	}
}
