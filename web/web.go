// Package web holds the HTML templates and static assets of the public
// pages, embedded in the binary: nothing is loaded from the internet.
package web

import "embed"

// Templates holds templates/*.html, the public pages, and
// templates/staff/*.html, the staff pages (html/template syntax).
//
//go:embed templates/*.html templates/staff/*.html
var Templates embed.FS

// Static holds static/*, served under /static/.
//
//go:embed static
var Static embed.FS
