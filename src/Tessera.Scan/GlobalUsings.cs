global using Tessera.Connection;
