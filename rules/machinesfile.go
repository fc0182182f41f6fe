package rules

func init() {
	Register(&Rule{
		Name: "machines-file-syntax", Code: "NBL031", Severity: Error,
		Title: "A machines file line that Nix refuses or misreads",
		Why: `nixbuild-lint machines checks /etc/nix/machines (or a builders string) the way Nix reads it:
whitespace-separated fields (URI, systems, ssh key, maxJobs, speedFactor, supported and
mandatory features, base64 host key; "-" for the default), entries separated by newlines or
";", "@/path" to include a file. A non-number maxJobs or speedFactor makes Nix refuse the
whole file ("bad machine specification: failed to convert column #3 …"); more than 8 fields
usually means an unencoded host key; before Nix 2.29 a ";" inside a "#" comment starts a live
entry; a missing @file is silently ignored.`,
		Bad:   "ssh://builder x86_64-linux - four 1 - - -\n# old builder ; ssh://retired x86_64-linux",
		Good:  "ssh://builder x86_64-linux - 4 1 - - -\n# old builder (retired)",
		Check: func(*Context) []Finding { return nil },
	})
}

// MachinesRules are the rules that apply to a bare machines file, where no
// host's configuration is known.
var MachinesRules = []string{
	"invalid-system", "zero-max-jobs", "bad-speed-factor", "hostname-has-scheme-or-user",
	"public-host-key-format", "duplicate-public-host-key", "mandatory-features-misuse", "duplicate-builder", "ssh-key-in-store",
	"machines-file-syntax",
}
