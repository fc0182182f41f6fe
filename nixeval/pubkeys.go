package nixeval

import (
	"encoding/base64"
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
// one line "name:base64" whose key is 32 bytes. Symlinks are not followed,
// and nothing outside the tree is read.
func findPublicKeys(tree *treefs.Tree, root string) map[string]string {
	out := map[string]string{}
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
		if !d.Type().IsRegular() || !publicKeyName(name) || (tree != nil && !tree.Readable(p)) {
			return nil // what Nix would not see (untracked in git) is not read either
		}
		info, err := d.Info()
		if err != nil || info.Size() > 1024 {
			return nil
		}
		data, err := readKeyFile(tree, p)
		if err != nil {
			return nil
		}
		if k, ok := ParsePublicKey(string(data)); ok {
			if rel, err := filepath.Rel(root, p); err == nil {
				out[filepath.ToSlash(rel)] = k
			}
		}
		return nil
	})
	return out
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

func readKeyFile(tree *treefs.Tree, p string) ([]byte, error) {
	if tree == nil {
		return treefs.ReadRegular(p, 1024)
	}
	return tree.ReadFile(p, 1024)
}
