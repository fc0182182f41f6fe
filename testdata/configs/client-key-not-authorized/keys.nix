{
  hosts = {
    pi = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINqqoO/05cuqvWLJEA7VmVB4uR5dW4B6GJchenjPQwiH root@pi";
    ci = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAII0MsoXz7ajf49elDw6aK9cpziot5vA45+YA/aE8OOEO root@ci";
    ritchie = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPj7aYCXC/D+UtLXWcDlasyThTY9KlPEj4augBDfDPhS root@ritchie";
  };
}
