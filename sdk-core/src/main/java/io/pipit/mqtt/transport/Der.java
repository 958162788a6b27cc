package io.pipit.mqtt.transport;

import java.io.ByteArrayOutputStream;

/**
 * The few DER (ASN.1) pieces needed to wrap PKCS#1 and SEC1 keys into PKCS#8: writing a SEQUENCE or OCTET
 * STRING, and finding the named-curve parameter inside a SEC1 {@code ECPrivateKey}. Stateless.
 */
final class Der {
    private static final int SEQUENCE = 0x30;
    private static final int OCTET_STRING = 0x04;
    private static final int CONTEXT_0 = 0xA0;

    private Der() {
    }

    /** @return a SEQUENCE holding the given already-encoded elements */
    static byte[] sequence(byte[]... elements) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] element : elements) {
            content.write(element, 0, element.length);
        }
        return tlv(SEQUENCE, content.toByteArray());
    }

    static byte[] octetString(byte[] value) {
        return tlv(OCTET_STRING, value);
    }

    /**
     * {@code ECPrivateKey ::= SEQUENCE { version, privateKey OCTET STRING, [0] parameters OPTIONAL, [1] ... }}
     *
     * @return the encoded curve OID from {@code [0]}
     * @throws IllegalArgumentException when the structure is not SEC1 or carries no named curve
     */
    static byte[] sec1NamedCurve(byte[] der) {
        int[] header = header(der, 0, SEQUENCE);
        int at = header[0];
        int end = at + header[1];
        while (at < end) {
            int tag = der[at] & 0xFF;
            int[] element = header(der, at, tag);
            if (tag == CONTEXT_0) {
                int[] oid = header(der, element[0], 0x06);
                byte[] encoded = new byte[oid[0] + oid[1] - element[0]];
                System.arraycopy(der, element[0], encoded, 0, encoded.length);
                return encoded;
            }
            at = element[0] + element[1];
        }
        throw new IllegalArgumentException("the SEC1 EC private key names no curve; re-export it with "
                + "'openssl pkcs8 -topk8 -nocrypt'");
    }

    /** @return {contentOffset, contentLength} of the element at {@code at}, which must have {@code tag} */
    private static int[] header(byte[] der, int at, int tag) {
        if (at + 2 > der.length || (der[at] & 0xFF) != tag) {
            throw malformed(at);
        }
        int first = der[at + 1] & 0xFF;
        if (first < 0x80) {
            return check(der, at + 2, first);
        }
        int count = first & 0x7F;
        if (count == 0 || count > 3 || at + 2 + count > der.length) {
            throw malformed(at);
        }
        int length = 0;
        for (int i = 0; i < count; i++) {
            length = length << 8 | (der[at + 2 + i] & 0xFF);
        }
        return check(der, at + 2 + count, length);
    }

    private static int[] check(byte[] der, int offset, int length) {
        if (offset + length > der.length) {
            throw malformed(offset);
        }
        return new int[] {offset, length};
    }

    private static IllegalArgumentException malformed(int at) {
        return new IllegalArgumentException("the SEC1 EC private key is not well-formed DER (at byte " + at + ")");
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 5);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >>> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >>> 16);
            out.write(length >>> 8);
            out.write(length);
        }
        out.write(content, 0, length);
        return out.toByteArray();
    }
}
