{ config, lib, ... }:
{
  config.boot.binfmt = lib.mkSinkUndeclaredOptions { };
}
