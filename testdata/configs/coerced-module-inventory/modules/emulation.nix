{ emulated }:
{ boot.binfmt.emulatedSystems = emulated; }
