package cli

import "testing"

func TestClipIsPrintable(t *testing.T) {
	if got := clip("\x1b[2Jabcdef", 4); got != "\uFFFD[2…" {
		t.Errorf("clip sanitises before it counts: %q", got)
	}
}
