package incident

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestFrontmatterSchema: the schema is JSON with its keys in the order
// written, the severities given (a numeric one also as a number) and the
// statuses pm knows.
func TestFrontmatterSchema(t *testing.T) {
	b, err := json.Marshal(FrontmatterSchema([]string{"P1", "2"}))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.HasPrefix(s, `{"$schema":"https://json-schema.org/draft/2020-12/schema","$id":`) {
		t.Errorf("keys out of order: %.80s", s)
	}
	for _, want := range []string{`"enum":["P1","2",2]`, `"enum":["investigating","mitigated","resolved","closed"]`, `"required":["id","title","status","severity","started"]`} {
		if !strings.Contains(s, want) {
			t.Errorf("schema lacks %s", want)
		}
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Errorf("not JSON: %v", err)
	}
}
