package lint

import (
	"encoding/json"
	"io"
)

// jsonReport is the shape of `pm lint --format json` (DESIGN §5): every key
// is always present and arrays are never null, so scripts need no guards.
type jsonReport struct {
	Findings []jsonFinding `json:"findings"`
	Files    int           `json:"files"`
	Counts   jsonCounts    `json:"counts"`
}

type jsonFinding struct {
	Path       string `json:"path"`
	Line       int    `json:"line"`
	Column     int    `json:"column"`
	EndLine    int    `json:"end_line"`
	EndColumn  int    `json:"end_column"`
	Rule       string `json:"rule"`
	Level      Level  `json:"level"`
	Message    string `json:"message"`
	Suggestion string `json:"suggestion"`
}

type jsonCounts struct {
	Error   int `json:"error"`
	Warning int `json:"warning"`
	Info    int `json:"info"`
}

// jsonPrinter prints the whole report as one indented JSON object.
type jsonPrinter struct{ w io.Writer }

func newJSONPrinter(w io.Writer) *jsonPrinter { return &jsonPrinter{w: w} }

func (p *jsonPrinter) Print(r Report) error {
	fs := sortedFindings(r.Findings)
	out := jsonReport{Findings: make([]jsonFinding, 0, len(fs)), Files: len(lintedFiles(r))}
	for _, f := range fs {
		out.Findings = append(out.Findings, jsonFinding{
			Path: f.Path, Line: f.Line, Column: f.Column, EndLine: f.EndLine, EndColumn: f.EndColumn,
			Rule: f.Rule, Level: f.Level, Message: f.Message, Suggestion: f.Suggestion,
		})
	}
	c := countLevels(fs)
	out.Counts = jsonCounts{Error: c.errors, Warning: c.warnings, Info: c.infos}
	enc := json.NewEncoder(p.w)
	enc.SetEscapeHTML(false) // messages quote words like <this>; keep them readable
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
