package repo

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pm-tool/pm/templates"

	"github.com/pm-tool/pm/internal/config"
)

// embeddedDir is the folder of templates.FS that holds the incident
// templates.
const embeddedDir = "incident"

// userTemplatesDir returns root/<folder>/templates, where a repository keeps
// its own templates.
func userTemplatesDir(root, folder string) string {
	return filepath.Join(root, filepath.FromSlash(folder), "templates")
}

// Template returns the source of template name: the user's
// <root>/<folder>/templates/NAME.md overrides or adds to the templates
// embedded in pm. A trailing ".md" in name is accepted.
func Template(root, folder, name string) ([]byte, error) {
	name = strings.TrimSuffix(name, ".md")
	if err := config.CheckTemplateName(name); err != nil {
		return nil, err
	}
	userFile := filepath.Join(userTemplatesDir(root, folder), name+".md")
	src, err := os.ReadFile(userFile)
	if err == nil {
		return src, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read template %q: %w", name, err)
	}
	if src, err := fs.ReadFile(templates.FS, path.Join(embeddedDir, name+".md")); err == nil {
		return src, nil
	}
	known, err := TemplateNames(root, folder)
	if err != nil {
		return nil, err
	}
	return nil, fmt.Errorf("unknown template %q (known: %s); to add it, create %s",
		name, strings.Join(known, ", "), filepath.ToSlash(path.Join(folder, "templates", name+".md")))
}

// TemplateNames lists the templates Template can return, embedded and the
// user's, sorted and without duplicates.
func TemplateNames(root, folder string) ([]string, error) {
	var names []string
	embedded, err := fs.ReadDir(templates.FS, embeddedDir)
	if err != nil {
		return nil, fmt.Errorf("embedded templates: %w", err)
	}
	for _, e := range embedded {
		if n, ok := templateFileName(e.Name()); ok && !e.IsDir() {
			names = append(names, n)
		}
	}
	dir := userTemplatesDir(root, folder)
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	for _, e := range entries {
		n, ok := templateFileName(e.Name())
		if !ok {
			continue
		}
		// Follow symbolic links: a linked file is a template, a folder is not.
		if info, err := os.Stat(filepath.Join(dir, e.Name())); err == nil && info.Mode().IsRegular() {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

// templateFileName returns the template name of a file called NAME.md, if
// NAME is one Template accepts.
func templateFileName(file string) (string, bool) {
	name, ok := strings.CutSuffix(file, ".md")
	return name, ok && config.CheckTemplateName(name) == nil
}
