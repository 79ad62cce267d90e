package cli

import (
	"errors"
	"io"
	"os"
	"syscall"
)

// outputWriter is standard output as every command sees it, keeping the
// first write that failed: `pm list > /dev/full` must not exit 0 with
// nothing written, and no command should have to check each Fprintf to
// get that right. Main turns the failure into one line and exit 1.
type outputWriter struct {
	w   io.Writer
	err error
}

func (o *outputWriter) Write(p []byte) (int, error) {
	if o.err != nil {
		return 0, o.err // the rest would fail the same way, or land out of order
	}
	n, err := o.w.Write(p)
	if err != nil {
		o.err = err
	}
	return n, err
}

// failed is the error Main reports for a failed write; nil when the
// reader went away (pm list | head -1, with SIGPIPE ignored), which is no
// fault of the user's: exit 1 with nothing said, as git does there.
func (o *outputWriter) failed() error {
	if errors.Is(o.err, syscall.EPIPE) {
		return nil
	}
	why := o.err
	var pe *os.PathError
	if errors.As(why, &pe) {
		why = pe.Err
	}
	return problemError("could not write the output: %v (standard output: check the disk or file it goes to)", why)
}
