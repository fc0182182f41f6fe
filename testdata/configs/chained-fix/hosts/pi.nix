{ ... }:
{
  nix = {
    distributedBuilds = true;
    settings.max-jobs = 0;
    buildMachines = [
      {
        hostName = "laptop";
        systems = [
          "x86_64-linux"
        ];
        maxJobs = 2;
      }
    ];
  };
}
