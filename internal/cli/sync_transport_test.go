//go:build unix

package cli

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSyncTransports runs pm sync through every transport git users have,
// each a real server started here on 127.0.0.1 (issue 14): a bare
// repository by path and file://, git daemon (git://), smart HTTP through
// git's own http-backend behind net/http/cgi with a password that a
// credential helper supplies, and sshd with a key and a known_hosts entry
// made here. In each, alice shares an entry, bob writes one meanwhile and
// syncs (merge and push), alice syncs again (fast-forward): both clones end
// with the same file holding both entries, and git fsck --strict is clean.
func TestSyncTransports(t *testing.T) {
	pm, err := exec.LookPath("pm")
	if err != nil {
		t.Fatalf("the test binary should be on PATH as pm (TestMain): %v", err)
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("needs the git CLI")
	}
	for _, tr := range []struct {
		name  string
		serve func(t *testing.T, srv string) (url string, env []string)
	}{
		{"path", func(t *testing.T, srv string) (string, []string) { return filepath.Join(srv, "incidents.git"), nil }},
		{"file", func(t *testing.T, srv string) (string, []string) {
			return "file://" + filepath.Join(srv, "incidents.git"), nil
		}},
		{"git-daemon", serveGitDaemon},
		{"http", serveHTTPBackend},
		{"ssh", serveSSHD},
	} {
		t.Run(tr.name, func(t *testing.T) {
			srv := t.TempDir()
			home := t.TempDir()
			env := append(os.Environ(), "HOME="+home, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+filepath.Join(home, ".gitconfig"),
				"GIT_AUTHOR_NAME=Alice", "GIT_AUTHOR_EMAIL=alice@example.com",
				"GIT_COMMITTER_NAME=Alice", "GIT_COMMITTER_EMAIL=alice@example.com", "GIT_TERMINAL_PROMPT=0")
			run := func(dir string, extra []string, name string, args ...string) string {
				t.Helper()
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				cmd := exec.CommandContext(ctx, name, args...)
				cmd.Dir, cmd.Env = dir, append(append([]string{}, env...), extra...)
				cmd.WaitDelay = time.Second
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Fatalf("%s %s in %s: %v\n%s", name, strings.Join(args, " "), dir, err, out)
				}
				return string(out)
			}
			// The served repository: one incident, pushed by path.
			seed := filepath.Join(t.TempDir(), "seed")
			run(srv, nil, "git", "init", "-q", "--bare", "-b", "main", "incidents.git")
			run(srv, nil, "git", "-C", "incidents.git", "config", "http.receivepack", "true")
			run(t.TempDir(), nil, "git", "init", "-q", "-b", "main", seed)
			run(seed, []string{"PM_NOW=2026-11-24T09:10:00Z"}, pm, "new", "API returns 502")
			run(seed, nil, "git", "push", "-q", filepath.Join(srv, "incidents.git"), "main")
			url, serverEnv := tr.serve(t, srv)
			env = append(env, serverEnv...)

			clones := t.TempDir()
			alice, bob := filepath.Join(clones, "alice"), filepath.Join(clones, "bob")
			run(clones, nil, "git", "clone", "-q", url, alice)
			run(clones, nil, "git", "clone", "-q", url, bob)
			bobEnv := []string{"GIT_AUTHOR_NAME=Bob", "GIT_AUTHOR_EMAIL=bob@example.com"}
			run(alice, []string{"PM_NOW=2026-11-24T09:14:00Z"}, pm, "observe", "every request returns 502")
			out := run(alice, nil, pm, "sync")
			if !strings.Contains(out, "pushed 1 commit to origin/main") {
				t.Fatalf("alice's sync:\n%s", out)
			}
			run(bob, append([]string{"PM_NOW=2026-11-24T09:15:00Z"}, bobEnv...), pm, "observe", "upstream connect() failed")
			out = run(bob, bobEnv, pm, "sync")
			if !strings.Contains(out, "received 1 commit from origin/main (merged 1 incident file") || !strings.Contains(out, "pushed 2 commits") {
				t.Fatalf("bob's sync:\n%s", out)
			}
			out = run(alice, nil, pm, "sync")
			if !strings.Contains(out, "received 2 commits from origin/main (fast-forward)") {
				t.Fatalf("alice's second sync:\n%s", out)
			}
			if strings.Contains(out, "s3cret") {
				t.Fatalf("pm printed the password:\n%s", out)
			}
			file := "postmortems/2026-11-24-api-returns-502.md"
			a, _ := os.ReadFile(filepath.Join(alice, file))
			b, _ := os.ReadFile(filepath.Join(bob, file))
			if !bytes.Equal(a, b) {
				t.Fatalf("the clones differ:\n--- alice\n%s\n--- bob\n%s", a, b)
			}
			i, j := bytes.Index(a, []byte("every request returns 502")), bytes.Index(a, []byte("upstream connect() failed"))
			if i < 0 || j < 0 || i > j || bytes.Count(a, []byte("every request")) != 1 {
				t.Fatalf("both entries once, in time order, expected:\n%s", a)
			}
			// The same remote, refused: the message names what to do.
			refused := map[string]struct{ from, to, want string }{
				"ssh":  {"known_hosts", "known_hosts.none", "ssh does not know that server's key"},
				"http": {"password=s3cret", "password=wrong", "check that you have access"},
			}
			if r, ok := refused[tr.name]; ok {
				var bad []string
				for _, e := range serverEnv {
					bad = append(bad, strings.Replace(e, r.from, r.to, 1))
				}
				run(alice, nil, pm, "observe", "one more")
				cmd := exec.Command(pm, "sync")
				cmd.Dir, cmd.Env = alice, append(append([]string{}, env...), bad...)
				out, err := cmd.CombinedOutput()
				if err == nil || !strings.Contains(string(out), r.want) || strings.Contains(string(out), "s3cret") {
					t.Fatalf("pm sync with a refused %s: %v, want exit 1 saying %q:\n%s", tr.name, err, r.want, out)
				}
				run(alice, nil, pm, "sync") // and fine again
			}
			for _, dir := range []string{alice, bob, filepath.Join(srv, "incidents.git")} {
				run(dir, nil, "git", "fsck", "--strict")
			}
			for _, dir := range []string{alice, bob} {
				if st := run(dir, nil, "git", "status", "--porcelain"); st != "" {
					t.Fatalf("%s is not clean:\n%s", dir, st)
				}
				if cfg, _ := os.ReadFile(filepath.Join(dir, ".git", "config")); bytes.Contains(cfg, []byte("s3cret")) {
					t.Fatalf("a password was written into %s/.git/config", dir)
				}
			}
		})
	}
}

// freePort is a TCP port on 127.0.0.1 nobody listens on (a server started
// next takes it).
func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitListening waits until something accepts connections on port.
func waitListening(t *testing.T, port int, what string) {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s did not start listening on port %d", what, port)
}

// startServer runs a server process until the test ends.
func startServer(t *testing.T, cmd *exec.Cmd) {
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	// A group of its own, so that the connections' processes it forks
	// (git daemon's upload-pack, sshd's sessions) end with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = time.Second
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", cmd.Path, err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
		if t.Failed() {
			t.Logf("%s printed:\n%s", filepath.Base(cmd.Path), logs.String())
		}
	})
}

func serveGitDaemon(t *testing.T, srv string) (string, []string) {
	port := freePort(t)
	cmd := exec.Command("git", "daemon", "--reuseaddr", "--export-all", "--enable=receive-pack", "--base-path="+srv,
		"--listen=127.0.0.1", fmt.Sprintf("--port=%d", port), srv)
	startServer(t, cmd)
	waitListening(t, port, "git daemon")
	return fmt.Sprintf("git://127.0.0.1:%d/incidents.git", port), nil
}

// serveHTTPBackend serves srv through git http-backend, as a web server's
// CGI would, behind a password that only a credential helper knows.
func serveHTTPBackend(t *testing.T, srv string) (string, []string) {
	execPath, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Fatal(err)
	}
	backend := &cgi.Handler{
		Path: filepath.Join(strings.TrimSpace(string(execPath)), "git-http-backend"),
		Env:  []string{"GIT_PROJECT_ROOT=" + srv, "GIT_HTTP_EXPORT_ALL=1"},
	}
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "alice" || p != "s3cret" {
			w.Header().Set("WWW-Authenticate", `Basic realm="incidents"`)
			http.Error(w, "who are you", http.StatusUnauthorized)
			return
		}
		r.Header.Set("REMOTE_USER", "alice")
		backend.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	helper := "!f() { test \"$1\" = get && echo username=alice && echo password=s3cret; }; f"
	return s.URL + "/incidents.git", []string{"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=credential.helper", "GIT_CONFIG_VALUE_0=" + helper}
}

// serveSSHD starts Debian's sshd for this user on a free port, with a host
// key and a client key made here; known_hosts holds the host key, so ssh
// checks it as it would a real server's.
func serveSSHD(t *testing.T, srv string) (string, []string) {
	sshd := "/usr/sbin/sshd"
	if _, err := os.Stat(sshd); err != nil {
		t.Skip("sshd is not installed (Debian's openssh-server; .ci/run installs it): the ssh transport is not tested here")
	}
	if os.Geteuid() == 0 {
		// sshd run as root wants its privilege-separation folder, which
		// Debian's service makes at boot.
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			t.Skipf("sshd needs /run/sshd: %v", err)
		}
	}
	dir := t.TempDir()
	keygen := func(file string) {
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", file).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v\n%s", err, out)
		}
	}
	keygen(filepath.Join(dir, "host"))
	keygen(filepath.Join(dir, "client"))
	pub, _ := os.ReadFile(filepath.Join(dir, "client.pub"))
	os.WriteFile(filepath.Join(dir, "authorized_keys"), pub, 0o600)
	port := freePort(t)
	hostPub, _ := os.ReadFile(filepath.Join(dir, "host.pub"))
	os.WriteFile(filepath.Join(dir, "known_hosts"), []byte(fmt.Sprintf("[127.0.0.1]:%d %s", port, hostPub)), 0o600)
	conf := fmt.Sprintf("Port %d\nListenAddress 127.0.0.1\nHostKey %s\nAuthorizedKeysFile %s\nPidFile %s\nStrictModes no\nUsePAM no\nPermitRootLogin prohibit-password\nPasswordAuthentication no\nSetEnv PATH=%s\n",
		port, filepath.Join(dir, "host"), filepath.Join(dir, "authorized_keys"), filepath.Join(dir, "sshd.pid"), os.Getenv("PATH"))
	os.WriteFile(filepath.Join(dir, "sshd_config"), []byte(conf), 0o600)
	startServer(t, exec.Command(sshd, "-D", "-e", "-f", filepath.Join(dir, "sshd_config")))
	waitListening(t, port, "sshd")
	ssh := fmt.Sprintf("ssh -i %s -o IdentitiesOnly=yes -o UserKnownHostsFile=%s -o StrictHostKeyChecking=yes -o BatchMode=yes",
		filepath.Join(dir, "client"), filepath.Join(dir, "known_hosts"))
	return fmt.Sprintf("ssh://127.0.0.1:%d%s", port, filepath.Join(srv, "incidents.git")), []string{"GIT_SSH_COMMAND=" + ssh}
}
