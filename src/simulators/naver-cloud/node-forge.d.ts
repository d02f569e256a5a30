/**
 * The small part of node-forge (which ships no types) that the NAVER Cloud simulator uses to
 * build its X.509 certificates.
 */
declare module 'node-forge' {
  namespace forge {
    namespace asn1 {
      interface Asn1 {
        readonly __asn1: unique symbol;
      }
      interface ByteBuffer {
        /** The bytes as a binary string, one char a byte. */
        getBytes(): string;
      }
      const Type: { readonly UTF8: number };
      function toDer(value: Asn1): ByteBuffer;
    }

    namespace pki {
      interface PublicKey {
        readonly __publicKey: unique symbol;
      }
      interface PrivateKey {
        readonly __privateKey: unique symbol;
      }
      /** One attribute of a distinguished name. */
      interface NameAttribute {
        shortName: string;
        value: string;
        valueTagClass?: number;
      }
      interface Extension {
        name: string;
        critical?: boolean;
        [field: string]: unknown;
      }
      interface Certificate {
        publicKey: PublicKey;
        /** Hex, two digits a byte; a first byte of 0x80 or more reads as negative. */
        serialNumber: string;
        validity: { notBefore: Date; notAfter: Date };
        /** OID of the outer signature algorithm. */
        signatureOid: string | null;
        /** The signature algorithm named inside the TBSCertificate. */
        siginfo: { algorithmOid: string | null };
        /** Cached TBSCertificate, used by `certificateToAsn1` when set. */
        tbsCertificate?: asn1.Asn1;
        /** The signature value as a binary string. */
        signature: string | null;
        setSubject(attributes: NameAttribute[]): void;
        setIssuer(attributes: NameAttribute[]): void;
        setExtensions(extensions: Extension[]): void;
      }
      const oids: { readonly sha256WithRSAEncryption: string };
      function createCertificate(): Certificate;
      function getTBSCertificate(certificate: Certificate): asn1.Asn1;
      function certificateToAsn1(certificate: Certificate): asn1.Asn1;
      function privateKeyToPem(key: PrivateKey): string;

      namespace rsa {
        /** A source of random bytes, one char a byte. */
        interface Prng {
          getBytesSync(count: number): string;
        }
        function generateKeyPair(options: { bits: number; e?: number; prng?: Prng }): {
          publicKey: PublicKey;
          privateKey: PrivateKey;
        };
      }
    }
  }
  export default forge;
}
