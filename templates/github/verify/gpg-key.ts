/**
 * A GPG public key made once with gpg 2.2 for the verify scenario and the tests: ed25519
 * [SC] (key id AADB792634AFE2D3, user id asym-bot@users.noreply.test) with a cv25519 [E]
 * subkey (5BA39F11E949697B), created 2026-12-03T14:23:51Z, no expiry. Test data, no secret part.
 */
export const GPG_ED25519 = `-----BEGIN PGP PUBLIC KEY BLOCK-----

mDMEaxF7dxYJKwYBBAHaRw8BAQdABQzhuTQ4h0BmFSmPjsrhh+uuIQC7UgGke0I+
Fspb08i0J0FzeW0gVGVzdCA8YXN5bS1ib3RAdXNlcnMubm9yZXBseS50ZXN0PoiQ
BBMWCAA4FiEEDo8a/TofkwT+9WLSqtt5JjSv4tMFAmsRe3cCGwMFCwkIBwIGFQoJ
CAsCBBYCAwECHgECF4AACgkQqtt5JjSv4tO/iwD/Wu60LZ39V9j4ugjGMgX34pFC
cKW7zH6QELN/1/CzrQgA/3knQXsjsYbIZsCr36SF2mevJc2UNSpF5W13s0FvUTYL
uDgEaxF7dxIKKwYBBAGXVQEFAQEHQMqThZVMp9vqQXySaIx4yXS1SUkpvh9MELQA
swboBkUuAwEIB4h4BBgWCAAgFiEEDo8a/TofkwT+9WLSqtt5JjSv4tMFAmsRe3cC
GwwACgkQqtt5JjSv4tOHqAD+LvMoWlFILZTQpyjUKHATe72ESwuiHHV15ULkUz6/
9MEA/Ax37BKuafHl19/YEK46MdUuZzHZMlN9k2QSKga6MgEB
=yLGt
-----END PGP PUBLIC KEY BLOCK-----
`;
