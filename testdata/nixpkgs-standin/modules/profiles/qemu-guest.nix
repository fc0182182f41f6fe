# The stand-in NixOS has this module; it defines nothing nixbuild-lint reads.
{ }
