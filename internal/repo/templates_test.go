package repo

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pm-tool/pm/templates"
)

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestTemplate(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "docs", "incidents", "templates")
	writeFile(t, filepath.Join(dir, "sre.md"), "my sre\n")
	writeFile(t, filepath.Join(dir, "security.md"), "security\n")
	embeddedDefault, err := fs.ReadFile(templates.FS, "incident/default.md")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, want, err string
	}{
		{name: "default", want: string(embeddedDefault)},
		{name: "default.md", want: string(embeddedDefault)},
		{name: "sre", want: "my sre\n"},
		{name: "security", want: "security\n"},
		{name: "nope", err: `unknown template "nope" (known: default, minimal, security, sre); to add it, create docs/incidents/templates/nope.md`},
		{name: "../sre", err: `template name "../sre" must be a plain name such as default, without / or .. in it`},
		{name: "a/b", err: `template name "a/b" must be a plain name such as default, without / or .. in it`},
		{name: `a\b`, err: `template name "a\\b" must be a plain name such as default, without / or .. in it`},
		{name: "..", err: `template name ".." must be a plain name such as default, without / or .. in it`},
		{name: ".hidden", err: `template name ".hidden" must not start with a dot`},
		{name: "", err: "template name is empty"},
	}
	for _, tt := range tests {
		got, err := Template(root, "docs/incidents", tt.name)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("Template(%q) error = %v, want %q", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil || string(got) != tt.want {
			t.Errorf("Template(%q) = %.30q, %v; want %.30q", tt.name, got, err, tt.want)
		}
	}
}

func TestTemplateNames(t *testing.T) {
	root := t.TempDir()
	got, err := TemplateNames(root, "postmortems")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"default", "minimal", "sre"}; !slices.Equal(got, want) {
		t.Errorf("without user templates: %v, want %v", got, want)
	}
	dir := filepath.Join(root, "postmortems", "templates")
	writeFile(t, filepath.Join(dir, "minimal.md"), "x")
	writeFile(t, filepath.Join(dir, "a-team.md"), "x")
	writeFile(t, filepath.Join(dir, "notes.txt"), "x")
	writeFile(t, filepath.Join(dir, ".draft.md"), "x")
	writeFile(t, filepath.Join(dir, "folder.md", "inner.md"), "x")
	if err := os.Symlink("a-team.md", filepath.Join(dir, "linked.md")); err != nil {
		t.Fatal(err)
	}
	got, err = TemplateNames(root, "postmortems")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a-team", "default", "linked", "minimal", "sre"}; !slices.Equal(got, want) {
		t.Errorf("with user templates: %v, want %v", got, want)
	}
	for _, n := range got {
		if _, err := Template(root, "postmortems", n); err != nil {
			t.Errorf("TemplateNames lists %q but Template fails: %v", n, err)
		}
	}
}

func TestTemplateUnreadable(t *testing.T) {
	root := t.TempDir()
	// A folder where the template file would be cannot be read as one.
	if err := os.MkdirAll(filepath.Join(root, "postmortems", "templates", "default.md"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := Template(root, "postmortems", "default")
	if err == nil || !strings.HasPrefix(err.Error(), `read template "default": `) {
		t.Errorf("got %v, want a read error", err)
	}
}
