package cli

import (
	"errors"
	"fmt"
)

// Exit codes, DESIGN §3: 0 success; 1 the job ran and found a problem
// (lint findings at error level, a failed commit); 2 bad usage or input that
// cannot be processed.
const (
	exitOK      = 0
	exitProblem = 1
	exitUsage   = 2
)

// exitError carries the exit code with the one-line message a user sees.
// Only Main turns it into a process exit code; nothing else exits.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// ExitCode makes the code visible to anything that asks, govulncheck-style.
func (e *exitError) ExitCode() int { return e.code }

// usageError is bad usage or input pm cannot process: exit 2.
func usageError(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// problemError is a job that ran and found a problem: exit 1.
func problemError(format string, args ...any) error {
	return &exitError{code: exitProblem, err: fmt.Errorf(format, args...)}
}

// asUsage wraps err so it exits with 2 while keeping its message.
func asUsage(err error) error {
	if err == nil {
		return nil
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return err
	}
	return &exitError{code: exitUsage, err: err}
}

// exitCode maps any error to the process exit code. Errors that did not say
// otherwise are problems (1): the job ran and could not finish.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var coder interface{ ExitCode() int }
	if errors.As(err, &coder) {
		return coder.ExitCode()
	}
	return exitProblem
}
