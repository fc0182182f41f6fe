package model

import (
	"reflect"
	"testing"
)

func TestParseSSHConfig(t *testing.T) {
	text := "# root's ssh\nForwardAgent no\nHost big ritchie\n  HostName 10.0.0.2\n  Port=2222\n  User nixremote\n  IdentityFile /root/.ssh/a\n  IdentityFile \"/root/.ssh/b\"\n  User ignored\nMatch host x\n  User m\nHost *\n  IdentityFile /root/.ssh/c\n"
	bs := ParseSSHConfig(text, "programs.ssh.extraConfig", Loc{File: "f.nix", Line: 10})
	if len(bs) != 4 {
		t.Fatalf("%d blocks: %+v", len(bs), bs)
	}
	if !reflect.DeepEqual(bs[0].Patterns, []string{"*"}) || bs[0].At.Line != 11 {
		t.Errorf("options before the first Host: %+v", bs[0])
	}
	b := bs[1]
	if b.HostName.V != "10.0.0.2" || b.Port.V != "2222" || b.User.V != "nixremote" || b.User.At.Line != 15 || len(b.IdentityFiles) != 2 || b.IdentityFiles[1].V != "/root/.ssh/b" {
		t.Errorf("Host big ritchie: %+v", b)
	}
	if bs[2].Matches("x") || bs[2].User.V != "m" {
		t.Errorf("a Match block matches nothing the model knows: %+v", bs[2])
	}
	if !bs[3].Matches("anything") {
		t.Error("Host * matches every name")
	}
}

func TestMatches(t *testing.T) {
	for _, c := range []struct {
		patterns []string
		host     string
		want     bool
	}{
		{[]string{"*.lan", "!nas.lan"}, "pi.lan", true},
		{[]string{"*.lan", "!nas.lan"}, "nas.lan", false},
		{[]string{"build?"}, "build1", true},
		{[]string{"build?"}, "build12", false},
		{[]string{"RITCHIE"}, "ritchie", true},
		{[]string{"!x"}, "y", false},
	} {
		if got := (SSHBlock{Patterns: c.patterns}).Matches(c.host); got != c.want {
			t.Errorf("%v matches %q: %v, want %v", c.patterns, c.host, got, c.want)
		}
	}
}

func TestKeyFields(t *testing.T) {
	key := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINqqoO/05cuqvWLJEA7VmVB4uR5dW4B6GJchenjPQwiH"
	for _, line := range []string{
		key + " root@pi",
		`restrict,command="nix-daemon --stdio" ` + key + " root@pi",
		`command="nix-store --serve --write",no-pty,from="10.0.0.1 10.0.0.2" ` + key + " root@pi",
		"  " + key + " root@pi  ",
	} {
		if got := PublicKeyID(line); got != key {
			t.Errorf("PublicKeyID(%q) = %q", line, got)
		}
		if got := KeyComment(line); got != "root@pi" {
			t.Errorf("KeyComment(%q) = %q", line, got)
		}
	}
	if PublicKeyID("AAAAC3Nza") != "" || PublicKeyID("") != "" || PublicKeyID("ssh-ed25519") != "" {
		t.Error("a line without a key has no key id")
	}
}

func TestKeyLinesAndAddresses(t *testing.T) {
	ls := KeyLines("# builders\n\nssh-ed25519 AAAA1 a\n  ssh-rsa AAAA2 b\n", "keys/b.pub")
	if len(ls) != 2 || ls[1].At.Line != 4 || ls[1].Line != "ssh-rsa AAAA2 b" {
		t.Errorf("%+v", ls)
	}
	var as []Addr
	as = AddAddr(as, "10.0.0.2/24", "wg", Loc{}, false)
	as = AddAddr(as, "10.0.0.2", "if", Loc{}, false)
	as = AddAddr(as, "*.example.org", "nginx", Loc{}, true)
	as = AddAddr(as, "localhost:8080", "nginx", Loc{}, true)
	if len(as) != 1 || as[0].Name != "10.0.0.2" || as[0].From != "wg" {
		t.Errorf("%+v", as)
	}
	hs := ParseExtraHosts("10.0.0.3 ritchie ritchie.lan # builder\n# none\n", Loc{File: "h.nix", Line: 5})
	if len(hs) != 1 || hs[0].Name != "10.0.0.3 ritchie ritchie.lan" || hs[0].At.Line != 5 {
		t.Errorf("%+v", hs)
	}
}
