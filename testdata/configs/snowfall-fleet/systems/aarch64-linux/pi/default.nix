{ namespace, ... }:
{
  ${namespace}.builders.client.enable = true;
}
