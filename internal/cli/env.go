package cli

import (
	"golang.org/x/term"
	"io"
	"os"
	"os/signal"
	"time"
)

// Env is everything a command may take from the outside world. Commands read
// nothing else: no os.Getenv, no time.Now, no os.Stdout. Tests build an Env
// with buffers, a fixed clock and a map of variables; main builds one from
// the process with SystemEnv.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv looks up an environment variable ("" when unset).
	Getenv func(string) string
	// Now is the clock. Entries and commits are stamped with it.
	Now func() time.Time
	// Dir is the folder the command was started in (-C changes it).
	Dir string
	// StdinIsTerminal tells whether a person is typing at stdin, so a
	// missing argument is reported instead of waiting on a silent read.
	StdinIsTerminal bool
	// StdoutIsTerminal tells whether output goes to a terminal, where pm
	// watch redraws in place rather than appending lines.
	StdoutIsTerminal bool
	// NotifyInterrupt, when set, reports Ctrl-C while a person types text
	// at the terminal (pm observe -), so that what they typed is kept
	// rather than lost; stop ends the report. Nil: Ctrl-C ends pm as usual.
	NotifyInterrupt func() (interrupted <-chan struct{}, stop func())
}

// SystemEnv is the Env of the running process.
//
// PM_NOW (RFC 3339) pins the clock. It exists for reproducible demos,
// documentation and the end-to-end tests, in the spirit of git's
// GIT_AUTHOR_DATE; it is not meant for everyday use.
func SystemEnv() Env {
	dir, err := os.Getwd()
	if err != nil {
		dir = "."
	}
	now := time.Now
	if v := os.Getenv("PM_NOW"); v != "" {
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			now = func() time.Time { return t }
		}
	}
	return Env{
		Stdin:            os.Stdin,
		Stdout:           os.Stdout,
		Stderr:           os.Stderr,
		Getenv:           os.Getenv,
		Now:              now,
		Dir:              dir,
		StdinIsTerminal:  isTerminal(os.Stdin),
		StdoutIsTerminal: isTerminal(os.Stdout),
		NotifyInterrupt:  notifyInterrupt,
	}
}

// isTerminal reports whether f is a terminal. A character device is not
// enough: /dev/null is one, and pm observe - </dev/null must not say it
// reads from the terminal.
func isTerminal(f *os.File) bool {
	return term.IsTerminal(int(f.Fd()))
}

// notifyInterrupt turns SIGINT into a closed channel until stop is called;
// after stop, Ctrl-C ends pm again.
func notifyInterrupt() (<-chan struct{}, func()) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	done := make(chan struct{})
	go func() {
		if _, ok := <-sig; ok {
			close(done)
		}
	}()
	return done, func() { signal.Stop(sig); close(sig) }
}
