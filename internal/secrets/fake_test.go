package secrets

import (
	"encoding/base64"
	"math/rand/v2"
	"strings"
)

// Every credential in these tests is generated here: correctly shaped,
// never live, and never copied from the web (where "example" keys are also
// what real scanners are tuned to ignore).

const (
	upperDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	alnum       = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	base64Chars = alnum + "+/"
	b64url      = alnum + "-_"
	hexDigits   = "0123456789abcdef"
	digits      = "0123456789"
)

type faker struct{ r *rand.Rand }

func newFaker(seed uint64) faker { return faker{rand.New(rand.NewPCG(seed, 0x5ec7e75))} }

func (f faker) str(alphabet string, n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(alphabet[f.r.IntN(len(alphabet))])
	}
	return b.String()
}

func (f faker) bytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(f.r.UintN(256))
	}
	return b
}

func (f faker) awsKeyID() string       { return "AKIA" + f.str(upperDigits, 16) }
func (f faker) awsSTSKeyID() string    { return "ASIA" + f.str(upperDigits, 16) }
func (f faker) awsSecret() string      { return f.str(base64Chars, 40) }
func (f faker) gcpAPIKey() string      { return "AIza" + f.str(b64url, 35) }
func (f faker) github(p string) string { return p + f.str(alnum, 36) }
func (f faker) githubPAT() string      { return "github_pat_" + f.str(alnum, 22) + "_" + f.str(alnum, 59) }
func (f faker) stripe(p string) string { return p + f.str(alnum, 24) }
func (f faker) slack(p string) string {
	return p + f.str(digits, 12) + "-" + f.str(digits, 13) + "-" + f.str(alnum, 24)
}
func (f faker) slackHookPath() string {
	return "T" + f.str(upperDigits, 8) + "/B" + f.str(upperDigits, 10) + "/" + f.str(alnum, 24)
}
func (f faker) opaque(n int) string { return f.str(alnum, n) }

func (f faker) jwt() string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." +
		enc([]byte(`{"sub":"`+f.str(digits, 10)+`","name":"pm test","iat":1709648527}`)) + "." +
		enc(f.bytes(32))
}

func (f faker) basic(user string) string {
	return base64.StdEncoding.EncodeToString([]byte(user + ":" + f.str(alnum, 14)))
}

// pem returns a private key block with the given label, lines joined by nl.
func (f faker) pem(label, nl string) string {
	body := base64.StdEncoding.EncodeToString(f.bytes(300))
	lines := []string{"-----BEGIN " + label + "-----"}
	for len(body) > 64 {
		lines = append(lines, body[:64])
		body = body[64:]
	}
	lines = append(lines, body, "-----END "+label+"-----")
	return strings.Join(lines, nl)
}
