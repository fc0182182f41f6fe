{
  denful.fleet.site.nixos = {
    system.stateVersion = "25.05";
    time.timeZone = "Europe/Berlin";
  };
}
