package nixeval

import (
	"encoding/base64"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/internal/treefs"
	"github.com/nixbuild-lint/nixbuild-lint/model"
)

// maxKeyWalk bounds the files looked at for public keys.
const maxKeyWalk = 50000

// findPublicKeys lists the Nix signing public keys written in small files
// of the tree at root (cache-pub-key.pem, signing-key.pub, <host>.pub):
// one line "name:base64" whose key is 32 bytes.
func findPublicKeys(tree *treefs.Tree, root string) map[string]string {
	out := map[string]string{}
	walkSmallFiles(tree, root, 1024, publicKeyName, func(rel string, data []byte) {
		if k, ok := ParsePublicKey(string(data)); ok {
			out[rel] = k
		}
	})
	return out
}

// walkSmallFiles calls visit with the contents of each regular file of the
// tree at root whose name accept takes and whose size is at most limit, by
// path relative to root. Symlinks are not followed, hidden directories,
// node_modules and result links are skipped, and what Nix would not see
// (a file git does not track) is not read; at most maxKeyWalk entries are
// looked at.
func walkSmallFiles(tree *treefs.Tree, root string, limit int64, accept func(name string) bool, visit func(rel string, data []byte)) {
	n := 0
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if n++; n > maxKeyWalk {
			return filepath.SkipAll
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (strings.HasPrefix(name, ".") || name == "node_modules" || strings.HasPrefix(name, "result")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || !accept(name) || (tree != nil && !tree.Readable(p)) {
			return nil
		}
		if info, err := d.Info(); err != nil || info.Size() > limit {
			return nil
		}
		var data []byte
		if tree == nil {
			data, err = treefs.ReadRegular(p, limit)
		} else {
			data, err = tree.ReadFile(p, limit)
		}
		if err != nil {
			return nil
		}
		if rel, err := filepath.Rel(root, p); err == nil {
			visit(filepath.ToSlash(rel), data)
		}
		return nil
	})
}

func publicKeyName(name string) bool {
	n := strings.ToLower(name)
	return strings.HasSuffix(n, ".pub") || strings.HasSuffix(n, ".pem") || strings.Contains(n, "pub") || strings.Contains(n, "public")
}

// ParsePublicKey reads a Nix signing public key, "name:base64" of 32 bytes.
func ParsePublicKey(s string) (string, bool) {
	s = strings.TrimSpace(s)
	name, key, ok := strings.Cut(s, ":")
	if !ok || name == "" || strings.ContainsAny(s, " \t\n") {
		return "", false
	}
	b, err := base64.StdEncoding.DecodeString(key)
	if err != nil || len(b) != 32 {
		return "", false
	}
	return s, true
}

// anySigns reports whether a host of the fleet signs its paths.
func anySigns(f *model.Fleet) bool {
	for _, h := range f.Hosts {
		if len(h.SecretKeyFiles.V) > 0 || h.SecretKeyFiles.Unknown && h.NotRead == nil {
			return true
		}
	}
	return false
}

// machinesNameHosts reports whether every build machine of the fleet is
// named by a host's attribute name or networking.hostName. Then no name
// needs the ssh_config texts of the tree (unknown-builder-host reads them
// only for a name no host has), and the walk that finds them is skipped.
func machinesNameHosts(f *model.Fleet) bool {
	names := map[string]bool{}
	for _, h := range f.Hosts {
		names[h.Name] = true
		if !h.HostName.Unknown && h.HostName.V != "" {
			names[h.HostName.V] = true
		}
	}
	for _, h := range f.Hosts {
		if h.Machines.Unknown {
			return false
		}
		for _, m := range h.Machines.Entries {
			if m.Unknown || m.HostName.Unknown || !names[m.HostName.V] {
				return false
			}
		}
	}
	return true
}

// findSSHConfigHosts lists the names of ssh_config "Host" lines (without
// patterns) in the tree's .nix files and files named like an ssh config,
// with the file and line of the first, except blocks that name a path under
// /home/ (a normal user's configuration).
func findSSHConfigHosts(tree *treefs.Tree, root string) map[string]string {
	out := map[string]string{}
	accept := func(name string) bool {
		low := strings.ToLower(name)
		return strings.HasSuffix(low, ".nix") || strings.Contains(low, "ssh")
	}
	walkSmallFiles(tree, root, 256<<10, accept, func(rel string, data []byte) {
		lines := strings.Split(string(data), "\n")
		for i, line := range lines {
			f := strings.Fields(line)
			if len(f) < 2 || f[0] != "Host" {
				continue
			}
			// A block that names a path under /home/ (a key, a socket) is
			// a normal user's configuration, not root's.
			user := false
			for _, l := range lines[i+1:] {
				g := strings.Fields(l)
				if len(g) > 0 && (g[0] == "Host" || g[0] == "Match" || strings.Contains(l, "''")) {
					break
				}
				user = user || strings.Contains(l, "/home/")
			}
			if user {
				continue
			}
			for _, h := range f[1:] {
				if strings.ContainsAny(h, "*?!${}\"'=;") {
					continue
				}
				if _, seen := out[h]; !seen {
					out[h] = fmt.Sprintf("%s:%d", rel, i+1)
				}
			}
		}
	})
	return out
}
