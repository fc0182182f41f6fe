{
  hosts = {
    pi = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMSOWrA/FAHFs6+RERe6lJYGrfIOfG7zNSUETPKehC68 root@pi";
    laptop = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDm6t+GtQRiLiHSWB+rIQvxgNChenJC2CkmnxA6QqaLn root@laptop";
    ritchie = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIjevqqO+TRNziu6cE5fuNj+aIQegfP4eOr9rt0hR0vz root@ritchie";
    big = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBQcWahS24A6QgDtWVXzAErOTP6rT+8qQAWdj+HDW8JX root@big";
  };
}
