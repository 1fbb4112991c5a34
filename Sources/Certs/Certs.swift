// Certificates.
