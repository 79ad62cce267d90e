// Package lsp is pm's language server (pm lsp): it speaks the Language
// Server Protocol 3.17 over a pair of streams (stdio), publishes pm lint's
// findings for incident files as diagnostics when a file is opened or
// changed, offers fixes as code actions, and completes frontmatter values.
//
// The protocol is written out here rather than taken from a library: pm
// needs the base protocol (Content-Length framing of JSON-RPC 2.0) and
// nine methods, a few hundred lines; the Go LSP libraries either have not
// had a release since 2022 (go.lsp.dev/protocol, which also brings zap) or
// pull in a logging and websocket stack (tliron/glsp). The tests drive the
// server with an independent JSON-RPC implementation
// (github.com/sourcegraph/jsonrpc2), so the framing is checked against
// another one's, not against itself.
package lsp

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/textproto"
	"net/url"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/pm-tool/pm/internal/lint"
)

// Linter lints the file at path (absolute, in the operating system's form)
// with content src. ok is false when the file is not an incident file pm
// lints (outside the incident folder, a template, a README): the server
// then publishes nothing for it. The command line supplies it, so which
// files are incidents is decided in one place.
type Linter func(path string, src []byte) (fs []lint.Finding, ok bool)

// Server is one language-server session.
type Server struct {
	lint   Linter
	values Valuer
	out    io.Writer
	wmu    sync.Mutex // one message at a time on out
	docs   map[string]*document
	// shutdown is set by the shutdown request: exit then ends the
	// session cleanly (status 0), as the protocol asks.
	shutdown bool
}

// document is an open file as the editor has it, not as it is on disk.
type document struct {
	path     string
	text     string
	findings []lint.Finding
	linted   bool // an incident file: findings are published
}

// New makes a server that lints with l, completes frontmatter values with
// v (nil: no completion) and writes its messages to out.
func New(l Linter, v Valuer, out io.Writer) *Server {
	return &Server{lint: l, values: v, out: out, docs: map[string]*document{}}
}

// ErrExitWithoutShutdown is returned by Serve when the client sent exit
// without shutdown first; the protocol asks for exit status 1 then.
var ErrExitWithoutShutdown = errors.New("lsp: exit without shutdown")

// Serve reads messages from in until exit or the end of in. Requests are
// handled one at a time in the order they came, so a didChange is always
// linted before a codeAction that follows it.
func (s *Server) Serve(in io.Reader) error {
	r := bufio.NewReader(in)
	for {
		body, err := readMessage(r)
		if errors.Is(err, io.EOF) {
			return nil // the editor went away
		}
		if err != nil {
			return err
		}
		var m message
		if err := json.Unmarshal(body, &m); err != nil {
			null := json.RawMessage("null") // the id could not be read: null, as JSON-RPC says
			s.write(message{ID: &null, Error: &rpcError{Code: codeParseError, Message: "not JSON: " + err.Error()}})
			continue
		}
		if m.Method == "exit" {
			if !s.shutdown {
				return ErrExitWithoutShutdown
			}
			return nil
		}
		s.handle(m)
	}
}

// message is a JSON-RPC 2.0 request, notification or response.
type message struct {
	JSONRPC string           `json:"jsonrpc"`
	ID      *json.RawMessage `json:"id,omitempty"`
	Method  string           `json:"method,omitempty"`
	Params  json.RawMessage  `json:"params,omitempty"`
	Result  any              `json:"result,omitempty"`
	Error   *rpcError        `json:"error,omitempty"`
}

type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// JSON-RPC and LSP error codes.
const (
	codeParseError     = -32700
	codeInvalidParams  = -32602
	codeMethodNotFound = -32601
)

// readMessage reads one base-protocol message: headers, a blank line, and
// Content-Length bytes of JSON.
func readMessage(r *bufio.Reader) ([]byte, error) {
	h, err := textproto.NewReader(r).ReadMIMEHeader()
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, io.EOF
		}
		return nil, fmt.Errorf("lsp: bad message header: %w", err)
	}
	n, err := strconv.Atoi(h.Get("Content-Length"))
	if err != nil || n < 0 {
		return nil, fmt.Errorf("lsp: bad Content-Length %q", h.Get("Content-Length"))
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		return nil, io.EOF
	}
	return body, nil
}

// write sends one message with its Content-Length header.
func (s *Server) write(m message) {
	m.JSONRPC = "2.0"
	body, err := json.Marshal(m)
	if err != nil {
		body, _ = json.Marshal(message{JSONRPC: "2.0", ID: m.ID, Error: &rpcError{Code: -32603, Message: err.Error()}})
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	fmt.Fprintf(s.out, "Content-Length: %d\r\n\r\n%s", len(body), body)
}

// reply answers a request; a notification (no id) gets no answer.
func (s *Server) reply(id *json.RawMessage, result any, e *rpcError) {
	if id == nil {
		return
	}
	if e == nil && result == nil {
		result = json.RawMessage("null") // a result is required, null is one
	}
	s.write(message{ID: id, Result: result, Error: e})
}

func (s *Server) notify(method string, params any) {
	raw, _ := json.Marshal(params)
	s.write(message{Method: method, Params: raw})
}

func (s *Server) handle(m message) {
	bad := func(err error) { s.reply(m.ID, nil, &rpcError{Code: codeInvalidParams, Message: err.Error()}) }
	switch m.Method {
	case "initialize":
		s.reply(m.ID, initializeResult(), nil)
	case "initialized", "$/cancelRequest", "$/setTrace", "textDocument/didSave", "workspace/didChangeConfiguration":
	case "shutdown":
		s.shutdown = true
		s.reply(m.ID, nil, nil)
	case "textDocument/didOpen":
		var p struct {
			TextDocument struct {
				URI  string `json:"uri"`
				Text string `json:"text"`
			} `json:"textDocument"`
		}
		if err := json.Unmarshal(m.Params, &p); err != nil {
			return
		}
		s.update(p.TextDocument.URI, p.TextDocument.Text)
	case "textDocument/didChange":
		var p struct {
			TextDocument struct {
				URI string `json:"uri"`
			} `json:"textDocument"`
			ContentChanges []struct {
				Text  string          `json:"text"`
				Range json.RawMessage `json:"range"`
			} `json:"contentChanges"`
		}
		if err := json.Unmarshal(m.Params, &p); err != nil || len(p.ContentChanges) == 0 {
			return
		}
		// Full sync (initialize says so): the last change is the text.
		s.update(p.TextDocument.URI, p.ContentChanges[len(p.ContentChanges)-1].Text)
	case "textDocument/didClose":
		var p struct {
			TextDocument struct {
				URI string `json:"uri"`
			} `json:"textDocument"`
		}
		if json.Unmarshal(m.Params, &p) == nil {
			if d, ok := s.docs[p.TextDocument.URI]; ok && d.linted {
				s.publish(p.TextDocument.URI, d.text, nil)
			}
			delete(s.docs, p.TextDocument.URI)
		}
	case "textDocument/codeAction":
		var p codeActionParams
		if err := json.Unmarshal(m.Params, &p); err != nil {
			bad(err)
			return
		}
		s.reply(m.ID, s.codeActions(p), nil)
	case "textDocument/completion":
		var p completionParams
		if err := json.Unmarshal(m.Params, &p); err != nil {
			bad(err)
			return
		}
		s.reply(m.ID, s.completion(p), nil)
	case "workspace/executeCommand":
		var p struct {
			Command   string   `json:"command"`
			Arguments []string `json:"arguments"`
		}
		if err := json.Unmarshal(m.Params, &p); err != nil {
			bad(err)
			return
		}
		if p.Command != explainCommand || len(p.Arguments) != 1 {
			bad(fmt.Errorf("unknown command %q: pm knows %s RULE", p.Command, explainCommand))
			return
		}
		text, ok := lint.Explain(p.Arguments[0])
		if !ok {
			bad(fmt.Errorf("unknown rule %q", p.Arguments[0]))
			return
		}
		s.notify("window/showMessage", map[string]any{"type": 3, "message": text})
		s.reply(m.ID, nil, nil)
	default:
		if m.ID != nil {
			s.reply(m.ID, nil, &rpcError{Code: codeMethodNotFound, Message: "pm lsp does not handle " + m.Method})
		}
	}
}

// explainCommand prints a rule's --explain text in the editor.
const explainCommand = "pm.explain"

func initializeResult() any {
	return map[string]any{
		"capabilities": map[string]any{
			// Full text on every change: incident files are small, and
			// pm lints the whole file anyway.
			"textDocumentSync":       map[string]any{"openClose": true, "change": 1},
			"codeActionProvider":     map[string]any{"codeActionKinds": []string{"quickfix"}},
			"executeCommandProvider": map[string]any{"commands": []string{explainCommand}},
			"completionProvider":     map[string]any{"triggerCharacters": []string{" ", "[", ","}},
			"positionEncoding":       "utf-16",
		},
		"serverInfo": map[string]any{"name": "pm", "version": lint.Version()},
	}
}

// update takes the editor's text of a document, lints it and publishes
// the findings.
func (s *Server) update(uri, text string) {
	path, err := uriPath(uri)
	if err != nil {
		return // not a file: an unsaved buffer, a git: view
	}
	d := &document{path: path, text: text}
	s.docs[uri] = d
	fs, ok := s.lint(path, []byte(text))
	if !ok {
		return
	}
	d.linted, d.findings = true, fs
	s.publish(uri, text, fs)
}

// uriPath is the file path of a file: URI, decoded, in the operating
// system's form.
func uriPath(uri string) (string, error) {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" {
		return "", fmt.Errorf("not a file URI: %s", uri)
	}
	p := u.Path
	if runtime.GOOS == "windows" && len(p) >= 3 && p[0] == '/' && p[2] == ':' {
		p = p[1:] // file:///C:/x is C:/x
	}
	return filepath.FromSlash(p), nil
}

// Position is a place in a document as LSP counts: 0-based line, and the
// character offset in UTF-16 code units (the protocol's default encoding).
type Position struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}

// Range is a span from Start to End (exclusive).
type Range struct {
	Start Position `json:"start"`
	End   Position `json:"end"`
}

type diagnostic struct {
	Range           Range  `json:"range"`
	Severity        int    `json:"severity"`
	Code            string `json:"code"`
	CodeDescription *struct {
		Href string `json:"href"`
	} `json:"codeDescription,omitempty"`
	Source  string `json:"source"`
	Message string `json:"message"`
}

// severity maps pm's levels onto LSP's: 1 error, 2 warning, 3 information.
func severity(l lint.Level) int {
	switch l {
	case lint.Error:
		return 1
	case lint.Info:
		return 3
	}
	return 2
}

func (s *Server) publish(uri, text string, fs []lint.Finding) {
	lines := splitLines(text)
	diags := make([]diagnostic, 0, len(fs))
	for _, f := range fs {
		msg := f.Message
		if f.Suggestion != "" {
			msg += "\nsuggestion: " + f.Suggestion
		}
		diags = append(diags, diagnostic{Range: findingRange(lines, f), Severity: severity(f.Level),
			Code: f.Rule, Source: "pm", Message: msg})
	}
	s.notify("textDocument/publishDiagnostics", map[string]any{"uri": uri, "diagnostics": diags})
}

// splitLines splits text into its lines without their endings (\n or
// \r\n), as pm lint numbers them.
func splitLines(text string) []string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// findingRange converts a finding's place (1-based line, 1-based column
// in characters, exclusive end column) into an LSP range in UTF-16 units.
// A finding without a column covers its line; one without a line (about
// the whole file) sits at the start.
func findingRange(lines []string, f lint.Finding) Range {
	if f.Line < 1 {
		return Range{}
	}
	start := utf16Position(lines, f.Line, max(f.Column, 1))
	endLine, endCol := f.EndLine, f.EndColumn
	switch {
	case f.Column < 1:
		endLine, endCol = f.Line, 1<<30 // the whole line
	case endLine < f.Line || endLine == f.Line && endCol <= f.Column:
		endLine, endCol = f.Line, 1<<30 // no usable end: to the end of the line
	case endCol < 1:
		endCol = 1 << 30
	}
	return Range{Start: start, End: utf16Position(lines, endLine, endCol)}
}

// utf16Position is the LSP position of (line, col), both 1-based, col in
// characters: the characters before it counted in UTF-16 code units, so an
// emoji (outside the Basic Multilingual Plane) counts 2 and a CJK ideograph
// 1. A column past the end of the line is the end of the line.
func utf16Position(lines []string, line, col int) Position {
	if line > len(lines) {
		line = len(lines)
		col = 1 << 30
	}
	text := lines[line-1]
	units := 0
	for i := 1; i < col && text != ""; i++ {
		r, size := utf8.DecodeRuneInString(text)
		text = text[size:]
		units += utf16Len(r)
	}
	return Position{Line: line - 1, Character: units}
}

func utf16Len(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// runeColumn is the inverse of utf16Position: the 1-based character
// column of an LSP position, for ranges the editor sends.
func runeColumn(lines []string, p Position) (line, col int) {
	if p.Line >= len(lines) {
		return len(lines), utf8.RuneCountInString(lines[len(lines)-1]) + 1
	}
	units := 0
	col = 1
	for _, r := range lines[p.Line] {
		if units >= p.Character {
			break
		}
		units += utf16Len(r)
		col++
	}
	return p.Line + 1, col
}
