{
  builderUser = "nixremote";
  piKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG8YbGZp1r0oQ7y5j1mJt3kK0c7wq2rXo9bB1uJxVv4Q root@pi";
}
