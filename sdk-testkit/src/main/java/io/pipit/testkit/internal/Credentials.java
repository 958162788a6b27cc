package io.pipit.testkit.internal;

import io.pipit.testkit.AuthRequest;

/**
 * The broker's {@link AuthRequest}: values copied out of a CONNECT or AUTH packet. Immutable; handed to the
 * user's authenticator on the loop thread.
 */
final class Credentials implements AuthRequest {
    private final String clientId;
    private final String userName;
    private final byte[] password;
    private final String method;
    private final byte[] data;
    private final int step;
    private final boolean reauthentication;

    Credentials(String clientId, String userName, byte[] password, String method, byte[] data, int step,
            boolean reauthentication) {
        this.clientId = clientId;
        this.userName = userName;
        this.password = password;
        this.method = method;
        this.data = data;
        this.step = step;
        this.reauthentication = reauthentication;
    }

    @Override public String clientId() {
        return clientId;
    }

    @Override public String userName() {
        return userName;
    }

    @Override public byte[] password() {
        return password == null ? null : password.clone();
    }

    @Override public String authenticationMethod() {
        return method;
    }

    @Override public byte[] authenticationData() {
        return data == null ? null : data.clone();
    }

    @Override public int step() {
        return step;
    }

    @Override public boolean reauthentication() {
        return reauthentication;
    }

    @Override
    public String toString() {
        return "AuthRequest[" + clientId + ", user=" + userName + ", method=" + method + ", step=" + step + "]";
    }
}
