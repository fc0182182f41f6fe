{
  # A user's aspect: its nixos part goes into every host alice is on, its
  # user part into users.users.alice there.
  den.aspects.alice = {
    user = {
      isNormalUser = true;
      extraGroups = [ "wheel" ];
    };
    nixos.nix.settings.trusted-users = [ "alice" ];
  };
}
