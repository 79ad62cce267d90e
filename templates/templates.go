// Package templates holds the files pm ships inside its binary, so a single
// executable works anywhere without an install step or a data folder, and a
// repository never depends on files that live outside it.
package templates

import "embed"

// FS holds the incident templates under incident/NAME.md. Each is a whole
// incident file, frontmatter included, executed with text/template by
// incident.ExecuteTemplate. A repository's own <folder>/templates/NAME.md
// overrides or adds to them (see repo.Template).
//
//go:embed incident
var FS embed.FS

// Site holds the static site's templates, stylesheet and script under
// site/: layout.html and one template per kind of page, site.css and
// site.js, written for the site and loading nothing from the network (see
// internal/site).
//
//go:embed site
var Site embed.FS
