package lsp

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/pm-tool/pm/internal/lint"
)

// The answers to what an editor should not send: a body that is not JSON
// (error -32700 with id null, and the session goes on), a method pm does
// not handle (-32601), exit without shutdown (an error, so pm exits 1).
func TestProtocolErrors(t *testing.T) {
	frame := func(body string) string { return fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body) }
	in := frame("{not json") + frame(`{"jsonrpc":"2.0","id":7,"method":"textDocument/hover","params":{}}`) +
		frame(`{"jsonrpc":"2.0","method":"exit"}`)
	var out strings.Builder
	noLint := func(string, []byte) ([]lint.Finding, bool) { return nil, false }
	if err := New(noLint, nil, &out).Serve(strings.NewReader(in)); err != ErrExitWithoutShutdown {
		t.Errorf("Serve = %v, want ErrExitWithoutShutdown", err)
	}
	r := bufio.NewReader(strings.NewReader(out.String()))
	var got []string
	for {
		body, err := readMessage(r)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			ID    json.RawMessage
			Error struct{ Code int }
		}
		json.Unmarshal(body, &m)
		got = append(got, fmt.Sprintf("%s %d", m.ID, m.Error.Code))
	}
	if want := []string{"null -32700", "7 -32601"}; strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("answers %q, want %q", got, want)
	}
}
