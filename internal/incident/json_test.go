package incident

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// topKeys returns the keys of a JSON object in the order they appear.
func topKeys(t *testing.T, b []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", b)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func TestJSON(t *testing.T) {
	d := mustParse(t, "postmortems/x.md", mustRead(t, "design.md"))
	b, err := json.Marshal(d.JSON(true))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"id", "path", "title", "status", "severity", "started", "detected", "mitigated", "resolved",
		"commander", "authors", "services", "tags", "entries", "hypotheses", "actions"}
	if got := topKeys(t, b); !reflect.DeepEqual(got, want) {
		t.Errorf("keys = %q\nwant %q", got, want)
	}
	s := string(b)
	for _, frag := range []string{
		`"path":"postmortems/x.md"`, `"started":"2026-11-24T09:10:00Z"`, `"mitigated":null`, `"authors":["alice","bob"]`,
		`{"time":"2026-11-24T09:14:03Z","kind":"down","hypothesis":"","system":"api","text":"every request returns 502","author":"alice","line":21}`,
		`{"id":"H1","text":"the machine ran out of memory again, as last week","state":"refuted","reason":"memory at 40%; the api log says the DB credentials are missing","opened":"2026-11-24T09:16:40Z","closed":"2026-11-24T09:20:00Z"}`,
		`{"text":"Runbook: how to rotate the api credentials","owner":"@alice","due":"2026-12-01","kind":"clarify","ticket":"https://tracker.example/OPS-123","done":true,"line":33}`,
	} {
		if !strings.Contains(s, frag) {
			t.Errorf("missing %s in\n%s", frag, s)
		}
	}
	b, _ = json.Marshal(d.JSON(false))
	if keys := topKeys(t, b); len(keys) != len(want)-1 || strings.Contains(string(b), `"entries"`) {
		t.Errorf("without entries: %q", keys)
	}

	// A bare file: lists are [] and times null, never omitted; the title falls back to the heading.
	d = mustParse(t, "y.md", []byte("# Heading title\n"))
	b, _ = json.Marshal(d.JSON(true))
	for _, frag := range []string{`"title":"Heading title"`, `"started":null`, `"authors":[]`, `"tags":[]`, `"entries":[]`, `"hypotheses":[]`, `"actions":[]`} {
		if !strings.Contains(string(b), frag) {
			t.Errorf("missing %s in %s", frag, b)
		}
	}
	if _, ok := d.JSON(true).(DocJSON); !ok {
		t.Errorf("JSON() is %T, want DocJSON", d.JSON(true))
	}
}
