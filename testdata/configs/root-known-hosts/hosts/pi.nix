{
  networking.hostName = "pi";
  environment.etc."ssh/ssh_known_hosts".text = ''
    ritchie ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAJy7V4+PNZOlrHjJIjimPtW66uvc+e07qI049WtCMgC root@ritchie_old
    big ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBQcWahS24A6QgDtWVXzAErOTP6rT+8qQAWdj+HDW8JX root@big
  '';
}
