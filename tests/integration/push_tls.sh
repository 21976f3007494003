#!/usr/bin/env bash
# rtmps:// with --ca-file: nginx-rtmp behind a small TLS terminator (python ssl) with a
# self-signed certificate. The right CA: the stream goes through; another CA: the server is
# refused (verification fails), the output gives up under --max-retries 0, exit 1.
source "$(dirname "$0")/lib.sh"
# A synthetic lavfi source stands in for surg-capture --test-pattern: the chain says so, as
# the consent gate requires of streams that go out without --consent (consent_gate.sh).
TEST_CHAIN=surg.chain=capture@0.1.0:test-pattern
json_true() { jq -e "$1" "$2" >/dev/null; }

for name in server other; do
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/$name.key" -out "$WORK/$name.pem" \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -days 1 2>/dev/null
done
cat >"$WORK/tls_proxy.py" <<'PY'
import socket, ssl, sys, threading
listen_port, target_port, cert, key = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", listen_port))
srv.listen(8)
def pipe(a, b):
    try:
        while (d := a.recv(65536)):
            b.sendall(d)
    except OSError:
        pass
    for s in (a, b):
        try: s.close()
        except OSError: pass
while True:
    c, _ = srv.accept()
    try:
        t = ctx.wrap_socket(c, server_side=True)
    except (ssl.SSLError, OSError):
        c.close()
        continue
    u = socket.create_connection(("127.0.0.1", target_port))
    threading.Thread(target=pipe, args=(t, u), daemon=True).start()
    threading.Thread(target=pipe, args=(u, t), daemon=True).start()
PY

RTMP_PORT=$(free_port)
TLS_PORT=$(free_port)
start_nginx tls "$RTMP_PORT" || fail "nginx did not start"
timeout -k 2 100 python3 "$WORK/tls_proxy.py" "$TLS_PORT" "$RTMP_PORT" "$WORK/server.pem" "$WORK/server.key" &
bg_track $!
wait_port "$TLS_PORT" 5 || fail "TLS proxy did not start"

stream() {
  timeout -k 2 40 ffmpeg -nostdin -v error -re -f lavfi -i testsrc2=size=320x240:rate=30 \
    -re -f lavfi -i sine=r=48000 -t "$1" -ac 2 -c:v rawvideo -pix_fmt yuv420p \
    -c:a pcm_s16le -ar 48000 -metadata "$TEST_CHAIN" -fflags +bitexact -f nut -
}

export SURG_STREAM_KEY=tls-key-5551234
stream 8 | surg-push --test-stream --ca-file "$WORK/server.pem" "rtmps://127.0.0.1:$TLS_PORT/live" \
  --stats "$WORK/ok.json" 2>"$WORK/ok.err" &
push_pid=$!
sleep 3
got=""
for _ in 1 2 3; do
  got=$(probe -rw_timeout 3000000 -analyzeduration 3000000 -show_entries stream=codec_name -of csv=p=0 \
    "rtmp://127.0.0.1:$RTMP_PORT/live/$SURG_STREAM_KEY" | sort | tr '\n' ' ')
  [ "$got" = "aac h264 " ] && break
done
check "rtmps with the right --ca-file: a viewer gets the stream ($got)" test "$got" = "aac h264 "
wait "$push_pid"
check "rtmps: exit 0" test $? = 0
check "rtmps: finished, nothing dropped" \
  json_true '.outputs[0] | .state == "finished" and .dropped_packets == 0 and .packets > 0' "$WORK/ok.json"

stream 2 | surg-push --test-stream --ca-file "$WORK/other.pem" --max-retries 0 "rtmps://127.0.0.1:$TLS_PORT/live" \
  --stats "$WORK/bad.json" 2>"$WORK/bad.err"
check "rtmps with another CA: exit 1 (the output gave up)" test $? = 1
check "rtmps with another CA: verification failed" grep -q "failed verification" "$WORK/bad.err"
check "rtmps with another CA: nothing sent" json_true '.outputs[0].packets == 0' "$WORK/bad.json"
# Without --ca-file the system trust store decides: a self-signed server is refused too.
stream 2 | surg-push --test-stream --max-retries 0 "rtmps://127.0.0.1:$TLS_PORT/live" \
  --stats "$WORK/sys.json" 2>"$WORK/sys.err"
check "rtmps without --ca-file: exit 1" test $? = 1
check "rtmps without --ca-file: the self-signed server failed verification" grep -q "failed verification" "$WORK/sys.err"
check "rtmps without --ca-file: nothing sent" json_true '.outputs[0].packets == 0' "$WORK/sys.json"
check "rtmps: the key is in no log or stats" \
  bash -c '! grep -q "$1" "$2"/ok.err "$2"/bad.err "$2"/ok.json "$2"/bad.json' _ "$SURG_STREAM_KEY" "$WORK"
finish
