package cli

import "github.com/pm-tool/pm/internal/incident"

// printable makes text from an incident file safe to print on a terminal
// (incident.Printable says what and why).
func printable(s string) string { return incident.Printable(s) }
