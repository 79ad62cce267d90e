package repo

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func mapEnv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestIdentity(t *testing.T) {
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	type files map[string]string // path relative to the test's root → content
	cases := []struct {
		name           string
		env            map[string]string // $ROOT is replaced
		files          files             // "local" is the repo's .git/config
		author, commit string            // "Name <email> RFC3339"
		wantErr        bool
	}{
		{
			name:   "env",
			env:    map[string]string{"GIT_AUTHOR_NAME": "Env A", "GIT_AUTHOR_EMAIL": "a@env", "GIT_COMMITTER_NAME": "Env C", "GIT_COMMITTER_EMAIL": "c@env"},
			files:  files{"local": "[user]\n\tname = Local\n\temail = local@x\n"},
			author: "Env A <a@env> 2026-11-24T09:00:00Z", commit: "Env C <c@env> 2026-11-24T09:00:00Z",
		},
		{
			name:   "local config",
			files:  files{"local": "[user]\n\tname = Local User\n\temail = local@example.com\n", "home/.gitconfig": "[user]\nname = Global\nemail = g@x\n"},
			author: "Local User <local@example.com> 2026-11-24T09:00:00Z", commit: "Local User <local@example.com> 2026-11-24T09:00:00Z",
		},
		{
			name:   "global HOME/.gitconfig",
			files:  files{"home/.gitconfig": "# mine\n[user]\n\tname = \"Global  User\" ; comment\n\temail = g@example.com\n"},
			author: "Global  User <g@example.com> 2026-11-24T09:00:00Z", commit: "Global  User <g@example.com> 2026-11-24T09:00:00Z",
		},
		{
			name:   "global XDG",
			env:    map[string]string{"XDG_CONFIG_HOME": "$ROOT/xdg"},
			files:  files{"xdg/git/config": "[user]\nname = Xdg\nemail = x@x\n"},
			author: "Xdg <x@x> 2026-11-24T09:00:00Z", commit: "Xdg <x@x> 2026-11-24T09:00:00Z",
		},
		{
			name:   "HOME/.gitconfig overrides XDG",
			env:    map[string]string{"XDG_CONFIG_HOME": "$ROOT/xdg"},
			files:  files{"xdg/git/config": "[user]\nname = Xdg\nemail = x@x\n", "home/.gitconfig": "[user]\nname = Home\n"},
			author: "Home <x@x> 2026-11-24T09:00:00Z", commit: "Home <x@x> 2026-11-24T09:00:00Z",
		},
		{
			name:   "GIT_CONFIG_GLOBAL replaces the global files",
			env:    map[string]string{"GIT_CONFIG_GLOBAL": "$ROOT/other"},
			files:  files{"other": "[user]\nname = Other\nemail = o@x\n", "home/.gitconfig": "[user]\nname = Home\n"},
			author: "Other <o@x> 2026-11-24T09:00:00Z", commit: "Other <o@x> 2026-11-24T09:00:00Z",
		},
		{
			name:   "system via GIT_CONFIG_SYSTEM",
			env:    map[string]string{"GIT_CONFIG_SYSTEM": "$ROOT/system", "GIT_CONFIG_NOSYSTEM": ""},
			files:  files{"system": "[user]\nname = Sys\nemail = s@x\n", "home/.gitconfig": "[user]\nemail = home@x\n"},
			author: "Sys <home@x> 2026-11-24T09:00:00Z", commit: "Sys <home@x> 2026-11-24T09:00:00Z",
		},
		{
			name:    "GIT_CONFIG_NOSYSTEM skips the system file",
			env:     map[string]string{"GIT_CONFIG_SYSTEM": "$ROOT/system"},
			files:   files{"system": "[user]\nname = Sys\nemail = s@x\n"},
			wantErr: true,
		},
		{
			name:   "author.* and committer.* beat user.*",
			files:  files{"home/.gitconfig": "[author]\n\tname = Auth\n[committer]\n\temail = comm@x\n", "local": "[user]\nname = U\nemail = u@x\n"},
			author: "Auth <u@x> 2026-11-24T09:00:00Z", commit: "U <comm@x> 2026-11-24T09:00:00Z",
		},
		{
			name:   "EMAIL env is the last resort",
			env:    map[string]string{"EMAIL": "mail@env"},
			files:  files{"local": "[user]\nname = N\n"},
			author: "N <mail@env> 2026-11-24T09:00:00Z", commit: "N <mail@env> 2026-11-24T09:00:00Z",
		},
		{
			name:   "include.path relative and ~",
			files:  files{"home/.gitconfig": "[include]\n\tpath = inc/id\n\tpath = ~/more\n", "home/inc/id": "[user]\nname = Included\nemail = i@x\n", "home/more": "[user]\nemail = more@x\n"},
			author: "Included <more@x> 2026-11-24T09:00:00Z", commit: "Included <more@x> 2026-11-24T09:00:00Z",
		},
		{
			name: "includeIf gitdir matches, other does not",
			files: files{"home/.gitconfig": "[user]\nname = Personal\nemail = me@home\n" +
				"[includeIf \"gitdir:$ROOT/work/\"]\npath = work.inc\n[includeIf \"gitdir:/elsewhere/\"]\npath = never.inc\n",
				"home/work.inc": "[user]\nemail = me@work\n", "home/never.inc": "[user]\nname = Never\n"},
			author: "Personal <me@work> 2026-11-24T09:00:00Z", commit: "Personal <me@work> 2026-11-24T09:00:00Z",
		},
		{
			name:   "includeIf onbranch",
			files:  files{"local": "[user]\nname = N\nemail = n@x\n[includeIf \"onbranch:ma*\"]\npath = ../../branch.inc\n", "work/branch.inc": "[user]\nname = OnMain\n"},
			author: "OnMain <n@x> 2026-11-24T09:00:00Z", commit: "OnMain <n@x> 2026-11-24T09:00:00Z",
		},
		{
			name:   "GIT_CONFIG_COUNT",
			env:    map[string]string{"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "user.name", "GIT_CONFIG_VALUE_0": "Counted"},
			files:  files{"local": "[user]\nname = N\nemail = n@x\n"},
			author: "Counted <n@x> 2026-11-24T09:00:00Z", commit: "Counted <n@x> 2026-11-24T09:00:00Z",
		},
		{
			name:   "crud is cleaned",
			env:    map[string]string{"GIT_AUTHOR_NAME": " <Ann> ", "GIT_AUTHOR_EMAIL": "<a@x>", "GIT_COMMITTER_NAME": "C\nD.", "GIT_COMMITTER_EMAIL": "c@x"},
			author: "Ann <a@x> 2026-11-24T09:00:00Z", commit: "CD. <c@x> 2026-11-24T09:00:00Z",
		},
		{
			name:   "dates from env",
			env:    map[string]string{"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@x", "GIT_COMMITTER_NAME": "C", "GIT_COMMITTER_EMAIL": "c@x", "GIT_AUTHOR_DATE": "@1700000000 +0200", "GIT_COMMITTER_DATE": "2026-01-02T03:04:05-05:00"},
			author: "A <a@x> 2023-11-15T00:13:20+02:00", commit: "C <c@x> 2026-01-02T03:04:05-05:00",
		},
		{
			name:    "no identity",
			files:   files{"home/.gitconfig": "[core]\n\teditor = vi\n"},
			wantErr: true,
		},
		{
			name:    "name only",
			env:     map[string]string{"GIT_AUTHOR_NAME": "A", "GIT_COMMITTER_NAME": "C"},
			wantErr: true,
		},
		{
			name:    "worktree config needs the extension",
			files:   files{"local": "[user]\nname = N\n", "worktree": "[user]\nemail = wt@x\n"},
			wantErr: true,
		},
		{
			name:   "worktree config with extensions.worktreeConfig",
			files:  files{"local": "[core]\n\trepositoryformatversion = 1\n[extensions]\n\tworktreeConfig = true\n[user]\nname = N\nemail = local@x\n", "worktree": "[user]\nemail = wt@x\n"},
			author: "N <wt@x> 2026-11-24T09:00:00Z", commit: "N <wt@x> 2026-11-24T09:00:00Z",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, "work", "repo")
			r := fakeRepo(t, dir)
			env := map[string]string{"HOME": filepath.Join(root, "home"), "GIT_CONFIG_NOSYSTEM": "1"}
			for k, v := range c.env {
				env[k] = strings.ReplaceAll(v, "$ROOT", root)
			}
			for name, content := range c.files {
				p := filepath.Join(root, filepath.FromSlash(name))
				switch name {
				case "local":
					p = filepath.Join(r.CommonDir, "config")
				case "worktree":
					p = filepath.Join(r.GitDir, "config.worktree")
				}
				putFile(t, p, strings.ReplaceAll(content, "$ROOT", root))
			}
			a, cm, err := r.Identity(mapEnv(env), now)
			if c.wantErr {
				var ie *IdentityError
				if !errors.As(err, &ie) {
					t.Fatalf("err = %v (author %+v), want *IdentityError", err, a)
				}
				want := `no git identity: user.name is not set; set it with git config --global user.name "Your Name"`
				if strings.HasSuffix(ie.Missing, " email") {
					want = "no git identity: user.email is not set; set it with git config --global user.email you@example.com"
				}
				if err.Error() != want {
					t.Errorf("message = %q", err.Error())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			show := func(s Signature) string { return s.Name + " <" + s.Email + "> " + s.When.Format(time.RFC3339) }
			if got := show(a); got != c.author {
				t.Errorf("author = %q, want %q", got, c.author)
			}
			if got := show(cm); got != c.commit {
				t.Errorf("committer = %q, want %q", got, c.commit)
			}
		})
	}
}

// fakeRepo makes the minimal git dir Find accepts, on branch main.
func fakeRepo(t *testing.T, dir string) *Repo {
	t.Helper()
	putFile(t, filepath.Join(dir, ".git", "HEAD"), "ref: refs/heads/main\n")
	if err := os.MkdirAll(filepath.Join(dir, ".git", "objects"), 0o755); err != nil {
		t.Fatal(err)
	}
	r, err := Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Identity agrees with git itself on a real repository.
func TestIdentityMatchesGit(t *testing.T) {
	dir := newGitRepo(t)
	for _, k := range []string{"GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"} {
		os.Unsetenv(k)
	}
	home := os.Getenv("HOME")
	putFile(t, filepath.Join(home, ".gitconfig"), "[user]\n\tname = From Global\n\temail = global@example.com\n[author]\n\temail = author@example.com\n")
	runGit(t, dir, "config", "user.name", "From Local")
	t.Setenv("GIT_COMMITTER_DATE", "1700000000 -0130")
	r, _ := Find(dir)
	a, c, err := r.Identity(os.Getenv, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	want := strings.TrimSpace(runGit(t, dir, "var", "GIT_AUTHOR_IDENT"))
	gotA := a.Name + " <" + a.Email + ">"
	if !strings.HasPrefix(want, gotA+" ") {
		t.Errorf("author %q, git says %q", gotA, want)
	}
	want = strings.TrimSpace(runGit(t, dir, "var", "GIT_COMMITTER_IDENT"))
	gotC := c.Name + " <" + c.Email + "> " + strconv.FormatInt(c.When.Unix(), 10) + " " + c.When.Format("-0700")
	if gotC != want {
		t.Errorf("committer %q, git says %q", gotC, want)
	}
}

func TestParseGitDate(t *testing.T) {
	loc := time.FixedZone("", 3600)
	cases := []struct{ in, want string }{
		{"@1700000000 +0000", "2023-11-14T22:13:20Z"},
		{"@1700000000", "2023-11-14T22:13:20Z"},
		{"1700000000 +0530", "2023-11-15T03:43:20+05:30"},
		{"1700000000 -0800", "2023-11-14T14:13:20-08:00"},
		{"2026-11-24T09:10:00Z", "2026-11-24T09:10:00Z"},
		{"2026-11-24T09:10:00+02:00", "2026-11-24T09:10:00+02:00"},
		{"2026-11-24T09:10:00.5+0200", "2026-11-24T09:10:00+02:00"},
		{"2026-11-24 09:10:00 +0200", "2026-11-24T09:10:00+02:00"},
		{"2026-11-24T09:10:00", "2026-11-24T09:10:00+01:00"},
		{"2026-11-24 09:10:00", "2026-11-24T09:10:00+01:00"},
		{"Tue, 24 Nov 2026 09:10:00 -0500", "2026-11-24T09:10:00-05:00"},
		{"24 Nov 2026 09:10:00 +0000", "2026-11-24T09:10:00Z"},
		{"Tue Nov 24 09:10:00 2026 +0100", "2026-11-24T09:10:00+01:00"},
		{"yesterday", ""},
		{"12345", ""},
		{"@12 +99", ""},
	}
	for _, c := range cases {
		got, err := parseGitDate(c.in, loc)
		if c.want == "" {
			if err == nil {
				t.Errorf("parseGitDate(%q) = %v, want an error", c.in, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseGitDate(%q): %v", c.in, err)
			continue
		}
		if s := got.Format(time.RFC3339); s != c.want {
			t.Errorf("parseGitDate(%q) = %s, want %s", c.in, s, c.want)
		}
	}
}

func TestIdentityBadDate(t *testing.T) {
	r := fakeRepo(t, t.TempDir())
	env := map[string]string{"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@x", "GIT_COMMITTER_NAME": "C", "GIT_COMMITTER_EMAIL": "c@x", "GIT_AUTHOR_DATE": "soon"}
	_, _, err := r.Identity(mapEnv(env), time.Now())
	if err == nil || !strings.Contains(err.Error(), "GIT_AUTHOR_DATE") {
		t.Fatalf("err = %v, want one naming GIT_AUTHOR_DATE", err)
	}
}
