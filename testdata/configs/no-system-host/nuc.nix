{ networking.hostName = "nuc"; services.openssh.enable = true; }
