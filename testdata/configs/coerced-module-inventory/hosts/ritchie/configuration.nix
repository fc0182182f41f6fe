{
  networking.hostName = "ritchie";
}
