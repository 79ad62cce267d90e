package secrets

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

type secretCase struct {
	name, text, kind, value string
}

// secretCases are realistic pastes holding exactly one secret, value.
func secretCases() []secretCase {
	f := newFaker(1)
	id, sts, awsSecret := f.awsKeyID(), f.awsSTSKeyID(), f.awsSecret()
	gcpKey, gcpKeyID := f.gcpAPIKey(), f.str(hexDigits, 40)
	gcpPEM := f.pem("PRIVATE KEY", `\n`) + `\n`
	ghp, pat := f.github("ghp_"), f.githubPAT()
	jwt, opaque, opaque2 := f.jwt(), f.opaque(32), f.opaque(40)
	basic, hook := f.basic("oncall"), f.slackHookPath()
	k8sPW := f.str(base64Chars, 24) + "=="
	rsa, ec, ossh, dsa, enc, plain, pgp := f.pem("RSA PRIVATE KEY", "\n"), f.pem("EC PRIVATE KEY", "\n"),
		f.pem("OPENSSH PRIVATE KEY", "\n"), f.pem("DSA PRIVATE KEY", "\n"),
		f.pem("ENCRYPTED PRIVATE KEY", "\n"), f.pem("PRIVATE KEY", "\r\n"), f.pem("PGP PRIVATE KEY BLOCK", "\n")
	truncated := strings.Join(strings.Split(rsa, "\n")[:4], "\n")

	cases := []secretCase{
		{"aws key id in env", "export AWS_ACCESS_KEY_ID=" + id + "\n", "AWS access key", id},
		{"aws sts key id in json", `{"Credentials": {"AccessKeyId": "` + sts + `",`, "AWS access key", sts},
		{"aws key id in prose", "rotated " + id + ", it was in the runbook", "AWS access key", id},
		{"aws secret in ini", "[default]\naws_secret_access_key = " + awsSecret + "\n", "AWS secret key", awsSecret},
		{"aws secret in sts json", `"SecretAccessKey": "` + awsSecret + `",`, "AWS secret key", awsSecret},
		{"aws secret env", "AWS_SECRET_ACCESS_KEY=" + awsSecret, "AWS secret key", awsSecret},
		{"gcp api key in url", "GET https://maps.googleapis.com/maps/api/geocode/json?key=" + gcpKey + "&address=x", "GCP API key", gcpKey},
		{"gcp service account key id", `  "private_key_id": "` + gcpKeyID + `",`, "GCP service-account key", gcpKeyID},
		{"gcp service account private key", `  "private_key": "` + gcpPEM + `",`, "GCP service-account key", gcpPEM},
		{"github token in remote", "git remote set-url origin https://x-access-token:" + ghp + "@github.com/acme/infra.git", "GitHub token", ghp},
		{"github oauth token", "GH_TOKEN=" + f.github("gho_"), "GitHub token", ""},
		{"github user token", "token " + f.github("ghu_") + " from the app", "GitHub token", ""},
		{"github server token", "- " + f.github("ghs_"), "GitHub token", ""},
		{"github refresh token", `"refresh": "` + f.github("ghr_") + `"`, "GitHub token", ""},
		{"github fine-grained pat", "used " + pat + " for the backfill", "GitHub token", pat},
		{"github token as url user", "https://" + ghp + "@github.com/acme/infra.git", "GitHub token", ghp},
		{"slack bot token", "SLACK_BOT_TOKEN=" + f.slack("xoxb-"), "Slack token", ""},
		{"slack user token", "token is " + f.slack("xoxp-"), "Slack token", ""},
		{"slack app token", "(" + f.slack("xoxa-") + ")", "Slack token", ""},
		{"slack refresh token", f.slack("xoxr-"), "Slack token", ""},
		{"slack legacy token", "'" + f.slack("xoxs-") + "'", "Slack token", ""},
		{"slack webhook", "curl -X POST https://hooks.slack.com/services/" + hook + " -d @msg.json", "Slack webhook URL", hook},
		{"stripe live key", "STRIPE_API_KEY=" + f.stripe("sk_live_"), "Stripe key", ""},
		{"stripe restricted key", "key rk_live_" + f.opaque(24) + " leaked", "Stripe key", ""},
		{"jwt in log", "2024-03-05T14:22:07Z DEBUG session " + jwt + " accepted", "JWT", jwt},
		{"jwt as bearer", "Authorization: Bearer " + jwt, "JWT", jwt},
		{"jwt unsigned", "alg none: " + strings.Join(strings.Split(jwt, ".")[:2], ".") + ". rejected", "JWT", strings.Join(strings.Split(jwt, ".")[:2], ".") + "."},
		{"bearer header", "Authorization: Bearer " + opaque, "bearer token", opaque},
		{"bearer curl", `curl -sS -H "authorization: bearer ` + opaque + `" https://api.internal/v1/orders`, "bearer token", opaque},
		{"bearer prose", "reproduced with bearer " + opaque + ".", "bearer token", opaque},
		{"basic auth header", "curl -H 'Authorization: Basic " + basic + "' http://10.0.3.17:8080/admin", "basic auth credentials", basic},
		{"token scheme header", "Authorization: token " + opaque2, "authorization header", opaque2},
		{"proxy authorization without scheme", "Proxy-Authorization: " + opaque2, "authorization header", opaque2},
		{"password logfmt", "level=error msg=\"login failed\" user=admin password=hunter2 attempt=3", "password", "hunter2"},
		{"passwd yaml", "db:\n  user: app\n  passwd: hunter2\n", "password", "hunter2"},
		{"pwd changeme", "mysql pwd=changeme host=db", "password", "changeme"},
		{"password is password", "DB_PASSWORD: password", "password", "password"},
		{"secret", "secret=Zb9$kQ2!rT", "secret", "Zb9$kQ2!rT"},
		{"client secret yaml", "  client_secret: 8f9a0b1c2d3e4f5a6b7c\n", "secret", "8f9a0b1c2d3e4f5a6b7c"},
		{"django secret key", "SECRET_KEY = 'django-insecure-" + opaque + "'", "secret", "django-insecure-" + opaque},
		{"token", "token=" + opaque + "&user=bob", "token", opaque},
		{"go token literal", `token := "` + opaque + `"`, "token", opaque},
		{"api_key", "api_key=" + opaque, "generic API key", opaque},
		{"apikey colon", "apikey: " + opaque, "generic API key", opaque},
		{"x-api-key header", "X-Api-Key: " + opaque2 + "\r\n", "generic API key", opaque2},
		{"ruby hash", `{ :password => "tr0ub4dor&3" }`, "password", "tr0ub4dor&3"},
		{"quoted passphrase", `DB_PASSWORD="correct horse battery staple"`, "password", "correct horse battery staple"},
		{"json password", `{"user": "app", "password": "p@ss w0rd"}`, "password", "p@ss w0rd"},
		{"query string", "GET /login?user=bob&password=hunter2&next=/ 200", "password", "hunter2"},
		{"go struct", "config: {User:bob Password:hunter2 Host:db}", "password", "hunter2"},
		{"spring property", "spring.datasource.password=Sup3r.S3cret", "password", "Sup3r.S3cret"},
		{"aws sigv4 header", "Authorization: AWS4-HMAC-SHA256 Credential=" + id + "/20240305/eu-west-1/s3/aws4_request, SignedHeaders=host",
			"authorization header", "Credential=" + id + "/20240305/eu-west-1/s3/aws4_request"},
		{"k8s secret data", "data:\n  password: " + k8sPW + "\n", "password", k8sPW},
		{"markdown bold key", "**Password**: hunter2", "password", "hunter2"},
		{"url credentials", "DATABASE_URL postgres://app:S3cr3t!@db.internal:5432/checkout", "credentials in URL", "S3cr3t!"},
		{"url credentials at in password", "redis://:p@ss@cache.internal:6379/0", "credentials in URL", "p@ss"},
		{"url credentials changeme", "mysql://root:changeme@localhost/app", "credentials in URL", "changeme"},
		{"pem rsa", "key:\n" + rsa + "\nend", "PEM private key", rsa},
		{"pem ec", ec, "PEM private key", ec},
		{"pem openssh", "$ cat ~/.ssh/id_ed25519\n" + ossh + "\n$ ", "PEM private key", ossh},
		{"pem dsa", dsa + "\n", "PEM private key", dsa},
		{"pem encrypted", "    " + enc, "PEM private key", enc},
		{"pem pkcs8 crlf", plain + "\r\n", "PEM private key", plain},
		{"pgp private key", pgp, "PGP private key", pgp},
		{"pem truncated", truncated + "\n\n(paste cut off)", "PEM private key", truncated},
		{"pem truncated before a word", truncated + "\nok\n", "PEM private key", truncated},
		{"pem truncated with headers", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0123456789ABCDEF\n\n" +
			strings.Join(strings.Split(rsa, "\n")[1:3], "\n") + "\n" + "AAAA" + "\n$ exit", "PEM private key",
			"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0123456789ABCDEF\n\n" +
				strings.Join(strings.Split(rsa, "\n")[1:3], "\n") + "\nAAAA"},
		{"pem escaped in json without end", `{"key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n"}`, "PEM private key",
			`-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n`},
	}
	// Cases whose value is the one shape in the text find it themselves.
	for i := range cases {
		if cases[i].value == "" {
			cases[i].value = onlyShape(cases[i].text)
		}
	}
	return cases
}

// onlyShape returns the one word of text that starts with a vendor prefix.
func onlyShape(text string) string {
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(" =:\"'()", r) }) {
		for _, sh := range shapes {
			if strings.HasPrefix(w, sh.prefix) {
				return w
			}
		}
	}
	panic("no shape in " + text)
}

func TestFindKinds(t *testing.T) {
	for _, c := range secretCases() {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(c.text, c.value) {
				t.Fatalf("bad case: %q not in %q", c.value, c.text)
			}
			got := Find(c.text)
			if len(got) != 1 {
				t.Fatalf("Find(%q) = %+v, want one %s", c.text, got, c.kind)
			}
			g := got[0]
			if g.Kind != c.kind || c.text[g.Start:g.End] != c.value {
				t.Errorf("Find(%q) = %s %q, want %s %q", c.text, g.Kind, c.text[g.Start:g.End], c.kind, c.value)
			}
			out, _ := Redact(c.text)
			if want := strings.Replace(c.text, c.value, Marker(c.kind), 1); out != want {
				t.Errorf("Redact(%q)\n got %q\nwant %q", c.text, out, want)
			}
		})
	}
}

// lookAlikes are texts from incident logs that hold no secret and must
// come out of Redact unchanged.
func lookAlikes() []string {
	f := newFaker(2)
	id, ghp := f.awsKeyID(), f.github("ghp_")
	return []string{
		// hashes, ids, encodings
		"commit 3f786850e387550fdab836ed7e6dc881de23001b (HEAD -> main)",
		"a1b2c3d checkout: retry db connect; reverted in 9f8e7d6",
		"sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
		"image ghcr.io/acme/api@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"request_id=9b2f5c1e-6a7d-4e8f-9a0b-1c2d3e4f5a6b trace_id=4bf92f3577b34da6a3ce929d0e0e4736",
		"body=aGVsbG8gd29ybGQsIHRoaXMgaXMgbm90IGEgc2VjcmV0Cg== len=44",
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@laptop",
		"eyJhbGciOiJIUzI1NiJ9 is just a header",
		"arn:aws:iam::123456789012:role/oncall, account 123456789012",
		// shapes glued to or cut from something longer
		"x" + id, id + "X", id[:19], "blob/" + f.str(base64Chars, 10) + "9" + id + f.str(base64Chars, 8),
		ghp[:30], "sk_test_" + f.opaque(24),
		// prose about secrets
		"the password was rotated at 14:05",
		"password: see vault for details",
		"Password reset link sent. Passwords must be 12 characters.",
		"token: expired", "password: none", "secret: rotated",
		"/etc/passwd: permission denied",
		"cat /etc/passwd:1:root:x:0:0:root:/root:/bin/bash",
		"Authorization header missing on /healthz",
		"Authorization: required", "Authorization: handled by keycloak",
		"Bearer tokens are rotated hourly; bearer authentication is on.",
		"token refresh failed: invalid_grant",
		// look-alike keys
		"passwordless=true password_hash=$2b$12$KIXQJ8rS1o3Xg7YpZl0yQe password_file=/run/secrets/db",
		"secret_name=checkout-db secretName: db-creds kind: Secret",
		"max_tokens=4096 prompt_tokens=812 token_url=https://auth.example.com/token token_ttl=3600s",
		"next_page_token=CiAKGjBpNDd2Nmp2Zml2cXRw nextPageToken: abc123XYZdef",
		"cache_key=abc123 key=value primary_key=42",
		// placeholders and references
		"password=${DB_PASSWORD} token=$API_TOKEN secret=$(cat /run/secrets/x) pwd=%DB_PASS%",
		"password=*** token=xxx api_key=XXXXXXXX secret=<redacted> password=<your-password-here>",
		"password= token=[FILTERED] secret=[hidden] api_key=%s passwd=''",
		`password: "{{ .Values.db.password }}"`,
		"pwd=/home/alice OLDPWD=/tmp secret: /run/secrets/db private_key: ./id_ed25519",
		"pw=ab token=42",
		"password = var.db_password; token: ${{ secrets.GITHUB_TOKEN }}",
		`Password: cfg.DBPassword, Token: os.Getenv("TOKEN"), secret=os.environ["SECRET"]`,
		"password=getpass() api_key=config.get_api_key() WHERE token = :token AND password = @password",
		"[INFO] token: valid\n[INFO] secret: loaded\n[WARN] password: failed",
		// URLs without a password, mail, hosts
		"https://alice@git.example.com/acme/infra.git",
		"https://grafana.example.com:3000/d/abc123/checkout?orgId=1&from=now-1h",
		"postgres://db.internal:5432/checkout?sslmode=require",
		"ssh://git@github.com/acme/infra.git and git@github.com:acme/infra.git",
		"https://user:@host.example.com/", "http://[::1]:8080/healthz",
		"page oncall-checkout@example.com or mailto:bob@example.com",
		"api-7d9f8b6c5d-x2k4z 1/1 Running 10.0.3.17:8080 [::1]:8080",
		"2024-03-05T14:22:07.123Z 14:22:07 +00:04 Mar  5 14:22:07",
		// certificates and public keys
		"-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUYkz3tYQ3mWw3cZ4lX7VbG0x5yFUwCgYIKoZIzj0EAwIw\n-----END CERTIFICATE-----",
		"-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----",
		// already redacted
		"password=[redacted: password] Authorization: Bearer [redacted: bearer token]",
		`"password": "[redacted: password]", https://u:[redacted: credentials in URL]@h/`,
		"Authorization: Basic [redacted: basic auth credentials]\n[redacted: PEM private key]",
		"",
	}
}

func TestLookAlikesSurvive(t *testing.T) {
	for _, text := range lookAlikes() {
		if got := Find(text); got != nil {
			for _, g := range got {
				t.Errorf("Find(%q) found %s %q", text, g.Kind, text[g.Start:g.End])
			}
		}
		if out, _ := Redact(text); out != text {
			t.Errorf("Redact(%q) = %q, want it unchanged", text, out)
		}
	}
}

// TestPasteHasNoFindings runs a realistic log paste full of look-alikes.
func TestPasteHasNoFindings(t *testing.T) {
	b, err := os.ReadFile("testdata/paste.log")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range Find(string(b)) {
		t.Errorf("testdata/paste.log:%d:%d: found %s %q", g.Line, g.Column, g.Kind, string(b[g.Start:g.End]))
	}
}

func TestRedactKeepsOtherBytes(t *testing.T) {
	f := newFaker(3)
	id, ghp, opaque := f.awsKeyID(), f.github("ghp_"), f.opaque(24)
	text := "14:02 paged\tby PagerDuty  \r\n" +
		"export AWS_ACCESS_KEY_ID=" + id + "   # trailing spaces kept\n" +
		"curl -u x -H 'Authorization: Bearer " + opaque + "' https://bob:pa55@api/x?password=hunter2&n=1\n" +
		"ghp: " + ghp + "\n\n  no newline at end"
	want := "14:02 paged\tby PagerDuty  \r\n" +
		"export AWS_ACCESS_KEY_ID=[redacted: AWS access key]   # trailing spaces kept\n" +
		"curl -u x -H 'Authorization: Bearer [redacted: bearer token]' https://bob:[redacted: credentials in URL]@api/x?password=[redacted: password]&n=1\n" +
		"ghp: [redacted: GitHub token]\n\n  no newline at end"
	out, found := Redact(text)
	if out != want {
		t.Errorf("Redact\n got %q\nwant %q", out, want)
	}
	kinds := []string{"AWS access key", "bearer token", "credentials in URL", "password", "GitHub token"}
	if len(found) != len(kinds) {
		t.Fatalf("found %+v, want %v", found, kinds)
	}
	for i, g := range found {
		if g.Kind != kinds[i] {
			t.Errorf("finding %d is %s, want %s", i, g.Kind, kinds[i])
		}
	}
	if again, more := Redact(out); again != out || more != nil {
		t.Errorf("Redact twice changed %q to %q (%+v)", out, again, more)
	}
}

func TestPositions(t *testing.T) {
	f := newFaker(4)
	id := f.awsKeyID()
	tests := []struct {
		name, text, value string
		line, column      int
	}{
		{"first byte", "password=hunter2", "hunter2", 1, 10},
		{"cyrillic before", "Привет, команда 👋\nжурнал: пароль password=hunter2 ✓", "hunter2", 2, 25},
		{"emoji and tabs", "\n\n🔥🔥\tkey " + id, id, 3, 8},
		{"crlf lines", "a\r\nб\r\nв " + id + "\r\n", id, 3, 3},
		{"invalid utf8 counts one each", "\xff\xfe " + id, id, 1, 4},
		{"combining accent counts as a rune", "cafe\u0301 password=hunter2", "hunter2", 1, 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Find(tt.text)
			if len(got) != 1 {
				t.Fatalf("Find(%q) = %+v, want one finding", tt.text, got)
			}
			g := got[0]
			if tt.text[g.Start:g.End] != tt.value || g.Line != tt.line || g.Column != tt.column {
				t.Errorf("Find(%q) = %q at %d:%d, want %q at %d:%d",
					tt.text, tt.text[g.Start:g.End], g.Line, g.Column, tt.value, tt.line, tt.column)
			}
		})
	}
}

// TestPEMInLogPaste pastes a log with a private key in the middle: the
// block becomes one marker line, and everything around it is kept.
func TestPEMInLogPaste(t *testing.T) {
	f := newFaker(5)
	key := f.pem("OPENSSH PRIVATE KEY", "\n")
	before := "2024-03-05T14:30:01Z deploy-bot: loading deploy key\n$ cat /etc/deploy/id_ed25519\n"
	after := "\n$ ssh -i /etc/deploy/id_ed25519 git@github.com\nPermission denied (publickey).\n"
	text := before + key + after
	out, found := Redact(text)
	if want := before + "[redacted: PEM private key]" + after; out != want {
		t.Errorf("Redact\n got %q\nwant %q", out, want)
	}
	if len(found) != 1 || found[0].Line != 3 || found[0].Column != 1 || text[found[0].Start:found[0].End] != key {
		t.Errorf("found %+v, want the key block at 3:1", found)
	}
	if n := strings.Count(out, "\n"); n != strings.Count(before+after, "\n") {
		t.Errorf("Redact left %d lines, want the block on one line", n)
	}
}

// TestAllCasesInOnePaste joins every sample into one paste: each is found
// once, in order, and nothing else is.
func TestAllCasesInOnePaste(t *testing.T) {
	var b strings.Builder
	var want []string
	for _, c := range secretCases() {
		b.WriteString(c.text + "\n")
		want = append(want, c.kind+" "+c.value)
	}
	for _, l := range lookAlikes() {
		b.WriteString(l + "\n")
	}
	text := b.String()
	var got []string
	for _, g := range Find(text) {
		got = append(got, g.Kind+" "+text[g.Start:g.End])
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Find over all samples:\n got %q\nwant %q", got, want)
	}
}

func TestFindNothing(t *testing.T) {
	for _, s := range []string{"", "a", "pw", "no secrets here"} {
		if got := Find(s); got != nil {
			t.Errorf("Find(%q) = %#v, want nil", s, got)
		}
		if out, got := Redact(s); out != s || got != nil {
			t.Errorf("Redact(%q) = %q, %#v", s, out, got)
		}
	}
}

// tricky holds inputs where one detector's result could hide or reveal
// another's once redacted.
var tricky = []string{
	"AKIAABCDEFGHIJKLNEXT_token=abcdef",
	"AKIAABCDEFGHIJKLMNOP_next_page_token=abcdef",
	"password: abc ghp_abcdefghijklmnopqrstuvwxyz0123456789",
	"password: abc token=ghp_abcdefghijklmnopqrstuvwxyz0123456789",
	"x=\"password=abc\" y",
	"password=\"abc password=hunter2",
	"password= token=hunter22",
	"Authorization: Basic abc password=hunter2xyz",
	"https://u:password=hunter2@h/?token=abc123",
	"Bearer abcdefghijklmnop1234=password=hunter2",
	"-----BEGIN RSA PRIVATE KEY-----\nMIIEabcd\npassword=hunter2\n",
	"{Password:[x] Token:(y)}",
}

func TestRedactTwiceFindsNothing(t *testing.T) {
	for _, text := range tricky {
		out, _ := Redact(text)
		if again := Find(out); again != nil {
			t.Errorf("Redact(%q) = %q, which still holds %+v", text, out, again)
		}
	}
}

// checkFindings verifies the invariants every result of Find must keep.
func checkFindings(t *testing.T, text string, found []Finding) {
	t.Helper()
	prevEnd := 0
	for i, g := range found {
		if g.Start < prevEnd || g.Start >= g.End || g.End > len(text) {
			t.Fatalf("finding %d %+v out of order or bounds (previous end %d, len %d)", i, g, prevEnd, len(text))
		}
		prevEnd = g.End
		before := text[:g.Start]
		line := strings.Count(before, "\n") + 1
		col := utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:]) + 1
		if g.Line != line || g.Column != col {
			t.Fatalf("finding %d %+v at %d:%d, want %d:%d", i, g, g.Line, g.Column, line, col)
		}
	}
}

func FuzzRedact(f *testing.F) {
	for _, c := range secretCases() {
		f.Add(c.text)
	}
	for _, l := range lookAlikes() {
		f.Add(l)
	}
	for _, text := range tricky {
		f.Add(text)
	}
	if b, err := os.ReadFile("testdata/paste.log"); err == nil {
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, text string) {
		found := Find(text)
		checkFindings(t, text, found)
		out, red := Redact(text)
		if fmt.Sprint(red) != fmt.Sprint(found) {
			t.Fatalf("Redact found %+v, Find %+v", red, found)
		}
		// Everything outside the findings is kept byte for byte.
		var b strings.Builder
		pos := 0
		for _, g := range found {
			b.WriteString(text[pos:g.Start] + Marker(g.Kind))
			pos = g.End
		}
		b.WriteString(text[pos:])
		if b.String() != out {
			t.Fatalf("Redact(%q) = %q, want %q", text, out, b.String())
		}
		if again := Find(out); again != nil {
			t.Fatalf("Redact(%q) = %q still holds %+v", text, out, again)
		}
	})
}

// BenchmarkFind scans a 4 KB log paste, as every pm observe does.
func BenchmarkFind(b *testing.B) {
	paste, err := os.ReadFile("testdata/paste.log")
	if err != nil {
		b.Fatal(err)
	}
	f := newFaker(6)
	text := string(paste) +
		"2024-03-05T14:22:08Z DEBUG retry with AWS_ACCESS_KEY_ID=" + f.awsKeyID() + "\n" +
		"2024-03-05T14:22:08Z DEBUG Authorization: Bearer " + f.jwt() + "\n" +
		"2024-03-05T14:22:08Z DEBUG dsn=postgres://checkout_app:" + f.opaque(16) + "@db.internal:5432/checkout\n" +
		"2024-03-05T14:22:08Z DEBUG password=" + f.opaque(12) + " GH_TOKEN=" + f.github("ghp_") + "\n"
	for len(text) < 4096 {
		text += "2024-03-05T14:22:09Z INFO  healthy upstream=10.0.3.17:8080 request_id=9b2f5c1e-6a7d-4e8f-9a0b-1c2d3e4f5a6b\n"
	}
	text = text[:4096]
	if n := len(Find(text)); n != 5 {
		b.Fatalf("found %d secrets in the paste, want 5: %+v", n, Find(text))
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Find(text)
	}
}
