package inputs

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval"
)

// helperFiles is a small flake of modules, with what a NAR keeps apart: a
// subdirectory, an executable, a symlink inside the tree.
var helperFiles = map[string]string{
	"flake.nix":      `{ outputs = { self }: { nixosModules.builder = import ./builder.nix; }; }`,
	"builder.nix":    `{ boot.binfmt.emulatedSystems = [ "aarch64-linux" ]; }`,
	"sub/ssh.nix":    `{ services.openssh.enable = true; }`,
	"bin/check.sh":   "#!/bin/sh\nexit 0\n",
	"default.nix":    "-> builder.nix",
	"sub/parent.nix": "-> ../builder.nix",
}

// lockTarball has the real nix lock a flake whose one input is the tarball
// the server serves at /helper.tar.gz; it returns the fleet directory.
func lockTarball(t *testing.T, srv *server, archive []byte) string {
	t.Helper()
	needNix(t)
	srv.serve("/helper.tar.gz", archive)
	fleet := t.TempDir()
	writeTree(t, fleet, map[string]string{"flake.nix": `{
  inputs.helper.url = "` + srv.URL + `/helper.tar.gz";
  outputs = { self, helper }: { };
}`})
	nixCmd(t, fleet, "flake", "lock")
	return fleet
}

// TestFetchTarball: a tarball input the real nix locked is fetched from
// the loopback server, checked, and kept under its store path's name; the
// real nix hashes the kept tree to the lock's narHash; a second fetch uses
// the cache and no network; with the input in the store nothing is fetched.
func TestFetchTarball(t *testing.T) {
	srv := newServer(t)
	src := t.TempDir()
	writeTree(t, src, helperFiles)
	fleet := lockTarball(t, srv, tarGz(t, treeEntries(t, src, "helper-1.0/")))
	narHash := lockedNarHash(t, fleet, "helper")
	if want := nixHashPath(t, src); narHash != want {
		t.Fatalf("nix locked %s, the tree hashes to %s", narHash, want)
	}

	// The real store holds it now (nix flake lock put it there): found.
	cache := filepath.Join(t.TempDir(), "inputs")
	before := srv.count()
	if res := fetch(t, fleet, Options{CacheDir: cache}); res.Inputs != 1 || res.InStore != 1 || res.Fetched != 0 || srv.count() != before {
		t.Errorf("with the input in the store: %+v, %d requests", res, srv.count()-before)
	}

	emptyStore(t)
	res := fetch(t, fleet, Options{CacheDir: cache})
	if res.Inputs != 1 || res.Fetched != 1 || len(res.Failed) != 0 {
		t.Fatalf("fetch: %+v %v", res, res.Failed)
	}
	name := cacheName(t, narHash)
	if got := cacheEntries(t, cache); len(got) != 1 || got[0] != name {
		t.Fatalf("cache holds %q, want [%s]", got, name)
	}
	kept := filepath.Join(cache, name)
	if got := nixHashPath(t, kept); got != narHash {
		t.Errorf("the kept tree hashes to %s, the lock says %s", got, narHash)
	}
	if fi, err := os.Stat(filepath.Join(kept, "bin/check.sh")); err != nil || fi.Mode()&0o100 == 0 {
		t.Errorf("executable lost: %v %v", fi, err)
	}
	if to, err := os.Readlink(filepath.Join(kept, "sub/parent.nix")); err != nil || to != "../builder.nix" {
		t.Errorf("symlink: %q %v", to, err)
	}

	// Second run: from the cache, no network at all.
	srv.Close()
	res = fetch(t, fleet, Options{CacheDir: cache})
	if res.Cached != 1 || res.Fetched != 0 || len(res.Failed) != 0 {
		t.Errorf("second run: %+v %v", res, res.Failed)
	}
}

// TestFetchTampered: the server now serves another archive than the one
// nix locked: a NAR hash mismatch, one line naming the input, nothing kept.
func TestFetchTampered(t *testing.T) {
	srv := newServer(t)
	src := t.TempDir()
	writeTree(t, src, helperFiles)
	fleet := lockTarball(t, srv, tarGz(t, treeEntries(t, src, "helper-1.0/")))
	narHash := lockedNarHash(t, fleet, "helper")
	if err := os.WriteFile(filepath.Join(src, "builder.nix"), []byte(`{ boot.binfmt.emulatedSystems = [ "riscv64-linux" ]; }`), 0o644); err != nil {
		t.Fatal(err)
	}
	srv.serve("/helper.tar.gz", tarGz(t, treeEntries(t, src, "helper-1.0/")))
	emptyStore(t)
	cache := filepath.Join(t.TempDir(), "inputs")
	res := fetch(t, fleet, Options{CacheDir: cache})
	want := fmt.Sprintf("flake input helper (%s/helper.tar.gz): NAR hash mismatch: flake.lock has %s, the download is %s; nothing kept",
		srv.URL, narHash, nixHashPath(t, src))
	if len(res.Failed) != 1 || res.Failed[0].Error() != want || res.Fetched != 0 {
		t.Fatalf("got %+v %v\nwant %s", res, res.Failed, want)
	}
	if got := cacheEntries(t, cache); len(got) != 0 {
		t.Errorf("kept after a mismatch: %q", got)
	}
}

// tarballLock is a flake.lock of one tarball input at url (the narHash is
// any valid one: these archives are refused before it is compared).
func tarballLock(t *testing.T, url string) string {
	t.Helper()
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"flake.lock": `{
  "nodes": {
    "helper": {
      "locked": { "narHash": "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "type": "tarball", "url": "` + url + `" },
      "original": { "type": "tarball", "url": "` + url + `" }
    },
    "root": { "inputs": { "helper": "helper" } }
  },
  "root": "root",
  "version": 7
}`})
	return dir
}

// TestFetchRefused: archives that would write outside their tree, or are
// too large, and downloads that fail: each one line naming the input and
// what is wrong, and nothing left in the cache.
func TestFetchRefused(t *testing.T) {
	emptyStore(t)
	srv := newServer(t)
	ok := entry{name: "h/flake.nix", body: "{ outputs = _: { }; }"}
	top := entry{name: "h/", typ: tar.TypeDir}
	cases := []struct {
		name    string
		entries []entry
		opts    Options
		want    string
	}{
		{"dotdot", []entry{top, ok, {name: "h/../../evil.nix", body: "x"}}, Options{}, `archive entry "h/../../evil.nix" has a .. component`},
		{"absolute", []entry{top, ok, {name: "/etc/evil.nix", body: "x"}}, Options{}, `archive entry "/etc/evil.nix" is an absolute path`},
		{"symlink-absolute", []entry{top, ok, {name: "h/passwd", typ: tar.TypeSymlink, link: "/etc/passwd"}}, Options{},
			`archive entry "h/passwd" is a symlink pointing out of the source (to /etc/passwd)`},
		{"symlink-relative", []entry{top, ok, {name: "h/sub/up", typ: tar.TypeSymlink, link: "../../x"}}, Options{},
			`archive entry "h/sub/up" is a symlink pointing out of the source (to ../../x)`},
		{"through-symlink", []entry{top, ok, {name: "h/d", typ: tar.TypeSymlink, link: "."}, {name: "h/d/x.nix", body: "x"}}, Options{},
			`archive entry "h/d/x.nix" goes through the symlink h/d`},
		// Each link points inside on its own; together they climb out.
		{"symlink-chain", []entry{top, ok, {name: "h/a/b/x", typ: tar.TypeSymlink, link: "../.."}, {name: "h/s", typ: tar.TypeSymlink, link: "a/b/x/../.."}}, Options{},
			`archive entry "s" is a symlink resolving out of the source`},
		{"hard-link", []entry{top, ok, {name: "h/shadow", typ: tar.TypeLink, link: "/etc/shadow"}}, Options{},
			`archive entry "h/shadow" is a hard link (to /etc/shadow), which is refused`},
		{"fifo", []entry{top, ok, {name: "h/pipe", typ: tar.TypeFifo}}, Options{}, `archive entry "h/pipe" is not a file, directory or symlink`},
		{"two-tops", []entry{top, ok, {name: "other/x.nix", body: "x"}}, Options{}, `the archive has more than one top-level entry ("h" and "other")`},
		{"too-large", []entry{top, ok, {name: "h/big", body: strings.Repeat("x", 5000)}}, Options{MaxBytes: 4000}, "the archive unpacks to more than 4000 bytes"},
		{"too-many", []entry{top, ok, {name: "h/a", body: "a"}, {name: "h/b", body: "b"}}, Options{MaxEntries: 2}, "the archive has more than 2 entries"},
		{"not-found", nil, Options{}, "not found (HTTP 404 from " + srv.URL + "/not-found.tar.gz)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.entries != nil {
				srv.serve("/"+c.name+".tar.gz", tarGz(t, c.entries))
			}
			url := srv.URL + "/" + c.name + ".tar.gz"
			dir := tarballLock(t, url)
			c.opts.CacheDir = filepath.Join(t.TempDir(), "inputs")
			res := fetch(t, dir, c.opts)
			prefix := "flake input helper (" + url + "): "
			if len(res.Failed) != 1 || !strings.HasPrefix(res.Failed[0].Error(), prefix) || !strings.Contains(res.Failed[0].Error(), c.want) ||
				!strings.HasSuffix(res.Failed[0].Error(), "; nothing kept") || strings.Contains(res.Failed[0].Error(), "\n") {
				t.Fatalf("got %v, want one line %s…%s…", res.Failed, prefix, c.want)
			}
			if got := cacheEntries(t, c.opts.CacheDir); len(got) != 0 {
				t.Errorf("left in the cache: %q", got)
			}
		})
	}
}

// TestFetchNoAnswer: a server that accepts the connection and never
// answers: the fetch ends at the timeout and says so.
func TestFetchNoAnswer(t *testing.T) {
	emptyStore(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	go func() {
		var held []net.Conn
		for {
			c, err := ln.Accept()
			if err != nil {
				for _, c := range held {
					_ = c.Close()
				}
				return
			}
			held = append(held, c) // read nothing, write nothing
		}
	}()
	dir := tarballLock(t, "http://"+ln.Addr().String()+"/helper.tar.gz")
	cache := filepath.Join(t.TempDir(), "inputs")
	start := time.Now()
	res := fetch(t, dir, Options{CacheDir: cache, Timeout: time.Second})
	took := time.Since(start)
	want := "flake input helper (http://" + ln.Addr().String() + "/helper.tar.gz): no answer from " + ln.Addr().String() + " within 1s (timed out); nothing kept"
	if len(res.Failed) != 1 || res.Failed[0].Error() != want {
		t.Fatalf("got %v, want %s", res.Failed, want)
	}
	if took > 10*time.Second {
		t.Errorf("took %s with a 1s timeout", took)
	}
	if got := cacheEntries(t, cache); len(got) != 0 {
		t.Errorf("left in the cache: %q", got)
	}
}

// gitRepo makes a git repository of files with one commit and returns its
// directory and the commit.
func gitRepo(t *testing.T, files map[string]string) (string, string) {
	t.Helper()
	dir := t.TempDir()
	writeTree(t, dir, files)
	git := func(args ...string) string {
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q", "-b", "main")
	git("add", "-A")
	git("commit", "-q", "-m", "modules")
	return dir, git("rev-parse", "HEAD")
}

// gitArchive is the real git archive of rev (tar.gz, the files below
// prefix), as GitHub, GitLab and SourceHut serve a revision.
func gitArchive(t *testing.T, repo, rev, prefix string) []byte {
	t.Helper()
	cmd := exec.Command("git", "archive", "--format=tar.gz", "--prefix="+prefix, rev)
	cmd.Dir = repo
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git archive: %v", err)
	}
	return out
}

// TestFetchForges: github, gitlab and sourcehut inputs, fetched from the
// forges' archive URLs (the base URL pointed at the loopback server, by
// option and by environment); each lock's narHash is the real nix's hash
// of the unpacked tree.
func TestFetchForges(t *testing.T) {
	needNix(t)
	emptyStore(t)
	srv := newServer(t)
	type forge struct{ typ, owner, repo, uri string }
	forges := []forge{
		{"github", "nix-community", "modules-a", "/gh/nix-community/modules-a/archive/%s.tar.gz"},
		{"gitlab", "group%2Fsub", "modules-b", "/gl/api/v4/projects/group%%2Fsub%%2Fmodules-b/repository/archive.tar.gz?sha=%s"},
		{"sourcehut", "~someone", "modules-c", "/srht/~someone/modules-c/archive/%s.tar.gz"},
	}
	var nodes, rootInputs []string
	hashes := map[string]string{}
	for _, f := range forges {
		files := map[string]string{}
		for k, v := range helperFiles {
			files[k] = v
		}
		files["name.nix"] = `"` + f.repo + `"`
		repo, rev := gitRepo(t, files)
		// Unpacked as nix would, then hashed by nix.
		unpacked := t.TempDir()
		archive := gitArchive(t, repo, rev, f.repo+"-"+rev+"/")
		tarx := exec.Command("tar", "xzf", "-", "-C", unpacked)
		tarx.Stdin = strings.NewReader(string(archive))
		if out, err := tarx.CombinedOutput(); err != nil {
			t.Fatalf("tar: %v %s", err, out)
		}
		narHash := nixHashPath(t, filepath.Join(unpacked, f.repo+"-"+rev))
		hashes[f.repo] = narHash
		srv.serve(fmt.Sprintf(f.uri, rev), archive)
		nodes = append(nodes, fmt.Sprintf(`"%s": { "locked": { "lastModified": 1700000000, "narHash": %q, "owner": %q, "repo": %q, "rev": %q, "type": %q },
      "original": { "owner": %q, "repo": %q, "type": %q } }`, f.repo, narHash, f.owner, f.repo, rev, f.typ, f.owner, f.repo, f.typ))
		rootInputs = append(rootInputs, fmt.Sprintf("%q: %q", f.repo, f.repo))
	}
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"flake.lock": `{ "nodes": { ` + strings.Join(nodes, ",\n") +
		`, "root": { "inputs": { ` + strings.Join(rootInputs, ", ") + ` } } }, "root": "root", "version": 7 }`})
	t.Setenv("NIXBUILD_LINT_SOURCEHUT_URL", srv.URL+"/srht")
	cache := filepath.Join(t.TempDir(), "inputs")
	res := fetch(t, dir, Options{CacheDir: cache, GitHubURL: srv.URL + "/gh", GitLabURL: srv.URL + "/gl/"})
	if res.Inputs != 3 || res.Fetched != 3 || len(res.Failed) != 0 {
		t.Fatalf("%+v %v (requests %q)", res, res.Failed, srv.requests)
	}
	for _, f := range forges {
		kept := filepath.Join(cache, cacheName(t, hashes[f.repo]))
		data, err := os.ReadFile(filepath.Join(kept, "name.nix"))
		if err != nil || string(data) != `"`+f.repo+`"` {
			t.Errorf("%s: %q %v", f.typ, data, err)
		}
	}
}

// TestFetchGit: a git input over https, locked by the real nix from a git
// http-backend on the loopback (TLS with the test server's certificate,
// which git is told to trust), is fetched with git and checked.
func TestFetchGit(t *testing.T) {
	needNix(t)
	url, rev := gitServer(t, helperFiles)
	if !strings.HasPrefix(url, "https://") {
		t.Fatalf("not https: %s", url)
	}
	fleet := t.TempDir()
	writeTree(t, fleet, map[string]string{"flake.nix": `{
  inputs.helper.url = "git+` + url + `?ref=main";
  outputs = { self, helper }: { };
}`})
	nixCmd(t, fleet, "flake", "lock")
	l := nixeval.ReadLock(fleet)
	if got := l.Nodes["helper"].Locked; got.Type != "git" || got.Rev != rev {
		t.Fatalf("nix locked %+v, want git at %s", got, rev)
	}
	emptyStore(t)
	cache := filepath.Join(t.TempDir(), "inputs")
	res := fetch(t, fleet, Options{CacheDir: cache})
	if res.Fetched != 1 || len(res.Failed) != 0 {
		t.Fatalf("%+v %v", res, res.Failed)
	}
	kept := filepath.Join(cache, cacheName(t, l.Nodes["helper"].Locked.NarHash))
	if got := nixHashPath(t, kept); got != l.Nodes["helper"].Locked.NarHash {
		t.Errorf("kept tree hashes to %s, lock says %s", got, l.Nodes["helper"].Locked.NarHash)
	}
	if _, err := os.Stat(filepath.Join(kept, ".git")); err == nil {
		t.Error("the kept tree has .git")
	}

	// A repository the server does not have: git's own line, nothing kept.
	missing := strings.TrimSuffix(url, "/helper.git") + "/nothing.git"
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"flake.lock": `{ "nodes": {
  "helper": { "locked": { "narHash": "` + l.Nodes["helper"].Locked.NarHash + `", "rev": "` + rev + `", "type": "git", "url": "` + missing + `" },
    "original": { "type": "git", "url": "` + missing + `" } },
  "root": { "inputs": { "helper": "helper" } } }, "root": "root", "version": 7 }`})
	cache2 := filepath.Join(t.TempDir(), "inputs")
	res = fetch(t, dir, Options{CacheDir: cache2})
	want := "flake input helper (git+" + missing + "?rev=" + rev[:12] + "): git fetch: fatal: repository '" + missing + "/' not found; nothing kept"
	if len(res.Failed) != 1 || res.Failed[0].Error() != want {
		t.Errorf("got %v\nwant %s", res.Failed, want)
	}
	if got := cacheEntries(t, cache2); len(got) != 0 {
		t.Errorf("left in the cache: %q", got)
	}
}

// gitServer serves a repository of files with the real git http-backend
// (smart http, through net/http/cgi) on the loopback; it returns the
// repository's URL and its commit.
func gitServer(t *testing.T, files map[string]string) (string, string) {
	t.Helper()
	repo, rev := gitRepo(t, files)
	root := t.TempDir()
	bare := filepath.Join(root, "helper.git")
	if out, err := exec.Command("git", "clone", "-q", "--bare", repo, bare).CombinedOutput(); err != nil {
		t.Fatalf("git clone: %v %s", err, out)
	}
	execPath, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Fatal(err)
	}
	backend := &cgi.Handler{Path: filepath.Join(strings.TrimSpace(string(execPath)), "git-http-backend"),
		Env: []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1"}, Stderr: io.Discard}
	srv := httptest.NewTLSServer(backend)
	t.Cleanup(srv.Close)
	cert := filepath.Join(t.TempDir(), "cert.pem")
	if err := os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GIT_SSL_CAINFO", cert) // for the git of nix flake lock and of the fetch
	return srv.URL + "/helper.git", rev
}

// TestWanted: the inputs fetched are the ones the reader reads the source
// of: not nixpkgs, nix-darwin or flake-parts (the reader's models), not
// a non-flake input, and below a read input its own inputs, follows
// resolved, each node once.
func TestWanted(t *testing.T) {
	dir := t.TempDir()
	h := "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
	node := func(typ, owner, repo string) string {
		sum := sha256.Sum256([]byte(repo)) // a narHash of its own
		return fmt.Sprintf(`{ "locked": { "narHash": "sha256-%s", "owner": %q, "repo": %q, "rev": "%040d", "type": %q }, "original": { "owner": %q, "repo": %q, "type": %q }`,
			base64.StdEncoding.EncodeToString(sum[:]), owner, repo, 1, typ, owner, repo, typ)
	}
	writeTree(t, dir, map[string]string{"flake.lock": `{ "nodes": {
  "nixpkgs": ` + node("github", "NixOS", "nixpkgs") + ` },
  "darwin": ` + node("github", "LnL7", "nix-darwin") + ` },
  "flake-parts": ` + node("github", "hercules-ci", "flake-parts") + `, "inputs": { "nixpkgs-lib": "nixpkgs" } },
  "home-manager": ` + node("github", "nix-community", "home-manager") + `, "inputs": { "nixpkgs": ["nixpkgs"] } },
  "stylix": ` + node("github", "danth", "stylix") + `, "inputs": { "base16": "base16", "home-manager": ["home-manager"], "systems": "systems" } },
  "base16": ` + node("github", "SenchoPens", "base16.nix") + ` },
  "systems": ` + node("github", "nix-systems", "default") + `, "flake": false },
  "local": { "locked": { "narHash": "` + h + `", "path": "/x", "type": "path" }, "original": { "path": "/x", "type": "path" } },
  "root": { "inputs": { "nixpkgs": "nixpkgs", "darwin": "darwin", "flake-parts": "flake-parts", "home-manager": "home-manager", "stylix": "stylix", "local": "local" } }
}, "root": "root", "version": 7 }`})
	l := nixeval.ReadLock(dir)
	if l == nil {
		t.Fatal("flake.lock not read")
	}
	var got []string
	for _, in := range wanted(l) {
		got = append(got, in.name+"="+in.key)
	}
	if want := "home-manager=home-manager local=local stylix=stylix stylix/base16=base16"; strings.Join(got, " ") != want {
		t.Errorf("wanted %q, want %q", strings.Join(got, " "), want)
	}
	// Fetch skips the path input (the store has it or nothing does) and
	// says nothing of it.
	emptyStore(t)
	var progress strings.Builder
	res := fetch(t, dir, Options{CacheDir: t.TempDir(), GitHubURL: newServer(t).URL, Progress: &progress})
	if res.Inputs != 4 || res.Skipped != 1 || len(res.Failed) != 3 || !strings.Contains(res.Failed[0].Error(), "not found (HTTP 404") {
		t.Errorf("%+v %v", res, res.Failed)
	}
	if p := progress.String(); !strings.Contains(p, "fetching 3 of 3 inputs…") || !strings.HasSuffix(p, "\r\033[K") {
		t.Errorf("progress %q", p)
	}
}
