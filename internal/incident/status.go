package incident

import (
	"fmt"
	"time"
)

// Milestone moves the incident through its states for a milestone entry e
// (kind mitigated, resolved, closed or reopened): it checks the move is
// allowed from the current status and makes the frontmatter changes that go
// with it. The entry itself is appended by the caller.
//
//	investigating → mitigated → resolved → closed;  reopen → investigating
//
// Mitigating again keeps the earlier mitigated time (it is when impact first
// stopped) unless the new entry is earlier. Resolving sets "mitigated" too
// when it is still empty (impact that is fixed
// has stopped); closing a still-open incident resolves it first, with its own
// entry, so no closed incident lacks a resolved time. Reopening clears
// "resolved", since the root problem is evidently not fixed. The error of a
// refused move is a sentence for the user.
func (d *Doc) Milestone(e Entry) error {
	status := d.Meta.Status
	switch e.Kind {
	case "mitigated":
		if status == "resolved" || status == "closed" {
			return fmt.Errorf("%s is already %s; pm reopen first if it is not over", d.Meta.ID, status)
		}
		if !d.Meta.Mitigated.IsZero() && !e.Time.Before(d.Meta.Mitigated) {
			// Mitigated again (impact came back and stopped, or a second
			// responder typed it too): the entry is logged, but
			// "mitigated" is when impact first stopped, and time to
			// mitigate must not grow silently. An earlier --at corrects it.
			return d.setStatus("mitigated", "", e.Time)
		}
		return d.setStatus("mitigated", "mitigated", e.Time)
	case "resolved":
		if status == "resolved" || status == "closed" {
			return fmt.Errorf("%s is already %s", d.Meta.ID, status)
		}
		if d.Meta.Mitigated.IsZero() {
			if err := d.SetTime("mitigated", e.Time); err != nil {
				return err
			}
		}
		return d.setStatus("resolved", "resolved", e.Time)
	case "closed":
		if status == "closed" {
			return fmt.Errorf("%s is already closed", d.Meta.ID)
		}
		if status != "resolved" {
			r := Entry{Time: e.Time, Kind: "resolved", Text: "resolved on close", Author: e.Author}
			if err := d.Milestone(r); err != nil {
				return err
			}
			if err := d.AppendEntry(r); err != nil {
				return err
			}
		}
		return d.setStatus("closed", "", e.Time)
	case "reopened":
		if status != "resolved" && status != "closed" && status != "mitigated" {
			return fmt.Errorf("%s is still %s; nothing to reopen", d.Meta.ID, status)
		}
		if err := d.setStatus("investigating", "", e.Time); err != nil {
			return err
		}
		if !d.Meta.Resolved.IsZero() {
			return d.SetTime("resolved", time.Time{})
		}
		return nil
	}
	return fmt.Errorf("%q is not a milestone", e.Kind)
}

// setStatus sets the status and, when field is not empty, that timestamp.
func (d *Doc) setStatus(status, field string, t time.Time) error {
	if err := d.SetField("status", status); err != nil {
		return err
	}
	if field != "" {
		return d.SetTime(field, t)
	}
	return nil
}
