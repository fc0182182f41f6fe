{
  pi = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINqqoO/05cuqvWLJEA7VmVB4uR5dW4B6GJchenjPQwiH root@pi";
  ritchie = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPj7aYCXC/D+UtLXWcDlasyThTY9KlPEj4augBDfDPhS root@ritchie";
  big = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPj7aYCXC/D+UtLXWcDlasyThTY9KlPEj4augBDfDPhS root@ritchie";
}
