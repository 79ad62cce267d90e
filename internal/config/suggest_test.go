package config

import "testing"

func TestClosest(t *testing.T) {
	known := []string{"severities", "default_severity", "folder", "blame-words", "blame-other", "hindsight"}
	tests := map[string]string{
		"severites":      "severities",  // one letter dropped
		"foldr":          "folder",      // within two edits
		"hindsigth":      "hindsight",   // two letters swapped: two edits
		"blame-w":        "blame-words", // the only candidate it starts
		"blame":          "",            // starts two candidates, and too far from both
		"folder":         "",            // itself is no suggestion
		"xyz":            "",            // nothing close
		"completely-off": "",
	}
	for in, want := range tests {
		if got := Closest(in, known); got != want {
			t.Errorf("Closest(%q) = %q, want %q", in, got, want)
		}
	}
}
