package repo

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The parser must read every file the way git does; git itself is the
// oracle: `git config --file F --list` prints what git understood.
func TestParseGitConfigMatchesGit(t *testing.T) {
	isolateGit(t)
	cases := []string{
		"[user]\n\tname = Alice\n\temail = a@x\n",
		"[user] name = same line\n",
		"[core]\n\tbare\n\tfilemode = false ; trailing comment\n# comment\n; comment\n",
		"[merge \"pm\"]\n\tname = pm merge driver\n\tdriver = pm merge-driver %O %A %B\n",
		"[Section \"Sub Case\"]\n\tKey = Value\n",
		"[old.style]\n\tkey = v\n",
		"[a]\n\tq = \"  spaced  \" tail\n\tr = x\\\"y\\\\z\n\ts = tab\\there\\nnewline\n",
		"[a]\n\tlong = first \\\n second\n",
		"[a]\n\tinner = two   spaces\t tab\n",
		"[a]\n\thash = \"#not a comment\" # comment\n",
		"\xef\xbb\xbf[bom]\n\tk = v\n",
		"[a]\r\n\tcrlf = yes\r\n",
		"[a \"q\\\"uote\"]\n\tk = v\n",
		"[a]\n\tempty =\n\tk-dash = 1\n",
	}
	for _, c := range cases {
		file := filepath.Join(t.TempDir(), "config")
		putFile(t, file, c)
		want := runGit(t, t.TempDir(), "config", "--file", file, "--list")
		pc, err := parseConfig([]byte(c), file)
		if err != nil {
			t.Errorf("parseConfig(%q): %v", c, err)
			continue
		}
		var got strings.Builder
		for _, e := range pc.entries {
			got.WriteString(joinConfigKey(e.section, e.subsection, e.key))
			if !e.noValue {
				got.WriteString("=" + e.value)
			}
			got.WriteString("\n")
		}
		if got.String() != want {
			t.Errorf("parseConfig(%q):\n got %q\nwant %q", c, got.String(), want)
		}
	}
}

func TestParseGitConfigErrors(t *testing.T) {
	for _, c := range []string{"key = outside\n", "[unterminated\n", "[a]\n\tk = \"open\n", "[a]\n\t1k = v\n", "[a]\n\tk = bad\\q\n"} {
		if _, err := parseConfig([]byte(c), "cfg"); err == nil || !strings.HasPrefix(err.Error(), "cfg:") {
			t.Errorf("parseConfig(%q) err = %v, want a cfg:LINE error", c, err)
		}
	}
}

func TestSetLocalConfig(t *testing.T) {
	dir := newGitRepo(t)
	r, err := Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfgFile := filepath.Join(dir, ".git", "config")
	f, _ := os.OpenFile(cfgFile, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("# my precious comment\n[merge \"other\"]\n\tdriver = keep me\n")
	f.Close()

	steps := []struct{ section, sub, key, value string }{
		{"merge", "pm", "name", "pm incident log merge"},
		{"merge", "pm", "driver", "pm merge-driver %O %A %B"},
		{"merge", "pm", "driver", "pm merge-driver %O %A %B"}, // idempotent
		{"core", "", "autocrlf", "false"},                     // into the existing [core]
		{"merge", "pm", "driver", "pm merge-driver --v2 %O %A %B"},
		{"pm", "", "note", " spaced; #odd \"quoted\" \\ "},
	}
	for _, s := range steps {
		if err := r.SetLocalConfig(s.section, s.sub, s.key, s.value); err != nil {
			t.Fatal(err)
		}
		got, err := r.LocalConfig(s.section, s.sub, s.key)
		if err != nil || got != s.value {
			t.Errorf("LocalConfig(%s) = %q, %v; want %q", s.key, got, err, s.value)
		}
		key := joinConfigKey(s.section, s.sub, s.key)
		if got := runGit(t, dir, "config", "--local", "--get", key); got != s.value+"\n" {
			t.Errorf("git config --get %s = %q, want %q", key, got, s.value)
		}
	}
	data, _ := os.ReadFile(cfgFile)
	content := string(data)
	for _, keep := range []string{"# my precious comment\n", "[merge \"other\"]\n\tdriver = keep me\n", "repositoryformatversion = 0"} {
		if !strings.Contains(content, keep) {
			t.Errorf("config lost %q:\n%s", keep, content)
		}
	}
	if strings.Count(content, "[merge \"pm\"]") != 1 || strings.Count(content, "driver = pm") != 1 || strings.Count(content, "[core]") != 1 {
		t.Errorf("duplicated sections or keys:\n%s", content)
	}
	before, _ := os.Stat(cfgFile)
	if err := r.SetLocalConfig("merge", "pm", "driver", "pm merge-driver --v2 %O %A %B"); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(cfgFile)
	if !os.SameFile(before, after) {
		t.Error("setting the same value rewrote the file")
	}
	if v, err := r.LocalConfig("merge", "pm", "missing"); v != "" || err != nil {
		t.Errorf("unset key = %q, %v", v, err)
	}
	if err := r.SetLocalConfig("bad key", "", "k", "v"); err == nil {
		t.Error("accepted a bad section name")
	}
	if _, err := os.Stat(cfgFile + ".lock"); !os.IsNotExist(err) {
		t.Error("config.lock left behind")
	}
}

func TestWildmatch(t *testing.T) {
	cases := []struct {
		pat, text string
		fold      bool
		want      bool
	}{
		{"**/work/**", "/home/a/work/repo/.git", false, true},
		{"**/work/**", "/home/a/work", false, false},
		{"/home/*/work/**", "/home/a/work/r/.git", false, true},
		{"/home/*/work/**", "/home/a/b/work/r/.git", false, false},
		{"**/Work/**", "/x/work/r", true, true},
		{"**/Work/**", "/x/work/r", false, false},
		{"ma*", "main", false, true},
		{"ma*", "main/x", false, false},
		{"feature/**", "feature/a/b", false, true},
		{"r?po", "repo", false, true},
		{"[a-c]x", "bx", false, true},
		{"[!a-c]x", "bx", false, false},
		{"a/**/b", "a/b", false, true},
		{"a/**/b", "a/x/y/b", false, true},
		{"exact", "exact", false, true},
		{"exact", "exactly", false, false},
	}
	for _, c := range cases {
		if got := wildmatch(c.pat, c.text, c.fold); got != c.want {
			t.Errorf("wildmatch(%q, %q, fold=%v) = %v, want %v", c.pat, c.text, c.fold, got, c.want)
		}
	}
}
