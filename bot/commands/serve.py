"""`accessbot serve`: the whole bot on a laptop: the api handler over HTTP, the embedded AWS, the scheduler."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import signal
import sys
import threading
import time
from importlib import import_module
from types import FrameType
from typing import Any

from bot.errors import ConfigurationError, InvalidInput

DEFAULT_PORT = 8080
TEXTS = {
    "idle": "No request for {minutes:g} minutes: stopping.",
    "background": "AccessBot is running in the background (pid {pid}): web chat at {url}/, stops after "
    "{minutes} idle minutes; `accessbot serve --stop` stops it now.",
    "stopped": "Stopped the local bot (pid {pids}).",
    "none": "No local bot is running.",
}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="Run the whole bot locally (web chat, embedded AWS, scheduler; Slack when configured).",
        description="Run the whole bot locally: the web chat and /slack/events over HTTP, moto as the AWS "
        "endpoint seeded with the embedded world, and a scheduler that really expires grants.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="Address of the web chat (default: 127.0.0.1).")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"Web chat port (default: {DEFAULT_PORT}).")
    parser.add_argument("--aws-port", type=int, default=None, help="Embedded AWS endpoint port (default: 4566).")
    parser.add_argument(
        "--aws", choices=("embedded", "real"), default="embedded",
        help="'embedded' (moto, no account needed) or 'real' (your AWS credentials and ACCESSBOT_* settings).",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="Log every request (JSON lines).")
    parser.add_argument(
        "--idle-minutes", type=float, default=0, metavar="N",
        help="Stop after N minutes without a request (default: never; background bots: 60).",
    )
    parser.add_argument(
        "--background", action="store_true",
        help="Start in the background and return (the CLI's commands find it through the state directory).",
    )
    parser.add_argument("--stop", action="store_true", help="Stop the local bots started in the background.")
    parser.add_argument("--detached", type=int, default=None, help=argparse.SUPPRESS)  # the ready pipe's fd
    parser.set_defaults(handler=run)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _quiet_runtime(verbose: bool) -> None:
    """Powertools' Lambda defaults are noise on a terminal: no metrics flush, no X-Ray, warnings only."""
    os.environ.setdefault("ACCESSBOT_STAGE", "local")
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "INFO" if verbose else "WARNING")
    level = logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("bot.local.scheduler").setLevel(logging.INFO)


class Serve:
    """The running pieces, started in order and stopped in reverse."""

    def __init__(self, *, host: str, port: int, aws: str, aws_port: int | None) -> None:
        self.host, self.port, self.aws, self.aws_port = host, port, aws, aws_port
        self.world: Any = None
        self.scheduler: Any = None
        self.http: Any = None
        self.socket: Any = None
        self.last_request = time.monotonic()
        self.direct: Any = None

    def _handle(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        """The api Lambda handler, noting the time: an idle background bot stops by itself."""
        from bot.handlers import api

        self.last_request = time.monotonic()
        answer: dict[str, Any] = api(event, context)
        return answer

    def idle_for(self) -> float:
        return time.monotonic() - self.last_request

    def start(self) -> Serve:
        from bot.local.http import LocalHttpServer
        from bot.local.scheduler import LocalScheduler
        from bot.local.world import DEFAULT_AWS_PORT, EmbeddedWorld

        try:
            if self.aws == "embedded":
                aws_port = DEFAULT_AWS_PORT if self.aws_port is None else self.aws_port  # 0: any free port
                self.world = EmbeddedWorld(host="127.0.0.1", port=aws_port).start()
                self.direct = _call_moto_directly(self.world.endpoint)
            self.scheduler = LocalScheduler().start()
            _use_scheduler(self.scheduler)
            _use_local_sessions(True)
            self.http = LocalHttpServer(self.host, self.port, handler=self._handle).start()
            self.port = int(self.http.server.server_address[1])  # port 0: the one the system picked
            self.socket = _start_socket_mode()
        except OSError as error:
            self.stop()
            raise ConfigurationError(f"cannot listen: {error.strerror or error}") from error
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for step in (self._stop_socket, self._stop_http, self._stop_sessions, self._stop_scheduler, self._stop_world):
            try:
                step()
            except Exception as error:  # keep stopping the rest
                print(f"accessbot: while stopping: {type(error).__name__}", file=sys.stderr)

    def _stop_socket(self) -> None:
        if self.socket is not None:
            import_module("bot.slack.socket").stop(self.socket)
            self.socket = None

    def _stop_http(self) -> None:
        if self.http is not None:
            self.http.stop()
            self.http = None

    @staticmethod
    def _stop_sessions() -> None:
        _use_local_sessions(False)

    def _stop_scheduler(self) -> None:
        if self.scheduler is not None:
            _use_scheduler(None)
            self.scheduler.stop()
            self.scheduler = None

    def _stop_world(self) -> None:
        if self.direct is not None:
            import_module("bot.aws.sessions").remove_client_hook(self.direct.hook)
            self.direct = None
        if self.world is not None:
            self.world.stop()
            self.world = None

    def banner(self) -> str:
        from bot.web.devidp import DEMO_USERS

        url = f"http://{self.host}:{self.port}/"
        lines = [
            "AccessBot is running.",
            f"  Web chat:      {url}",
            f"  Slack events:  {url}slack/events" + ("  (Socket Mode connected)" if self.socket else ""),
        ]
        if self.world is not None:
            creds = self.world.bot_credentials
            lines += [
                f"  AWS endpoint:  {self.world.endpoint}  (embedded; security account "
                f"{self.world.registry.security_account_id})",
                f"  Accounts:      {self.world.registry.describe()}",
                "  Other shells:  export AWS_ENDPOINT_URL="
                f"{self.world.endpoint} AWS_ACCESS_KEY_ID={creds.access_key_id} "
                f"AWS_SECRET_ACCESS_KEY={creds.secret_access_key} AWS_DEFAULT_REGION=us-east-1"
                "   # moto keys, not real",
            ]
        else:
            lines.append("  AWS:           real (your credentials and ACCESSBOT_* settings)")
        lines.append("  Demo users:    " + ", ".join(f"{u.user} ({u.role})" for u in DEMO_USERS.values()))
        lines.append("Press Ctrl-C to stop.")
        return "\n".join(lines)


def _use_scheduler(scheduler: Any) -> None:
    """Make the lifecycle schedule expiries on the local scheduler (the composition root's hook)."""
    wiring = import_module("bot.wiring")
    wiring.use_scheduler(scheduler)


def _call_moto_directly(endpoint: str) -> Any:
    """This process's clients of the embedded world call moto in-process (bot/local/direct.py)."""
    from bot.aws.sessions import add_client_hook
    from bot.local.direct import DirectMoto

    direct = DirectMoto(endpoint)
    add_client_hook(direct.hook)
    return direct


def _use_local_sessions(on: bool) -> None:
    """Dialog sessions in this process's memory, then the composition root built at once (see docs/local.md).

    One long-lived process holds every conversation, as Lex holds the web chat's in AWS: a turn then needs
    no AWS call unless it reads or changes requests. In the embedded world each call to moto costs this
    process several milliseconds of CPU (botocore, HTTP, moto's server, all under one GIL).
    """
    wiring = import_module("bot.wiring")
    if not on:
        wiring.use_sessions(None)
        return
    from intents.sessions import MemorySessionStore

    wiring.use_sessions(MemorySessionStore())
    wiring.warm()


def _start_socket_mode() -> Any:
    """Socket Mode when SLACK_APP_TOKEN is set (the Slack front's module); None otherwise."""
    if not os.environ.get("SLACK_APP_TOKEN"):
        return None
    socket = import_module("bot.slack.socket")
    if not socket.enabled():
        return None
    app = import_module("bot.slack.app").get_app()
    return socket.start(app)


def run(args: argparse.Namespace) -> int:
    if args.stop:
        return _stop_background()
    if args.aws == "embedded" and not _loopback(args.host):
        raise InvalidInput(
            "serve with the embedded world listens on loopback only: its demo sign-in lets anyone who can "
            "reach it act as an approver (use --host 127.0.0.1)."
        )
    if args.background:
        return _start_background(args)
    if args.detached is not None:
        from bot.commands.daemon import detach

        detach(args.detached)
    _quiet_runtime(args.verbose)
    serve = Serve(host=args.host, port=args.port, aws=args.aws, aws_port=args.aws_port).start()
    stopped = threading.Event()

    def _on_signal(signum: int, _frame: FrameType | None) -> None:
        stopped.set()

    previous = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    recorded = _record(serve, args)
    try:
        print(serve.banner(), flush=True)
        if args.detached is not None:
            from bot.commands.daemon import report_ready

            report_ready(args.detached)
        idle = args.idle_minutes * 60
        while not stopped.wait(0.5):
            if idle > 0 and serve.idle_for() > idle:
                print(TEXTS["idle"].format(minutes=args.idle_minutes), flush=True)
                break
        print("\nStopping…", flush=True)
    finally:
        if recorded:
            from bot.commands.statedir import remove_record

            remove_record(os.getpid())
        serve.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("Stopped.", flush=True)
    return 0


def _record(serve: Serve, args: argparse.Namespace) -> bool:
    """The embedded world's bot records itself in the state directory, so the CLI's commands find it."""
    if serve.world is None:
        return False
    from bot.commands.statedir import BotRecord, write_record

    write_record(BotRecord(
        pid=os.getpid(), url=f"http://{serve.host}:{serve.port}", aws_endpoint=serve.world.endpoint,
        started_at=time.time(), background=args.detached is not None, idle_minutes=args.idle_minutes,
    ))
    return True


def _start_background(args: argparse.Namespace) -> int:
    from bot.commands import daemon

    idle = args.idle_minutes or daemon.DEFAULT_IDLE_MINUTES
    record = daemon.start(port=args.port, aws_port=args.aws_port or 0, idle_minutes=idle)
    print(TEXTS["background"].format(url=record.url, pid=record.pid, minutes=f"{record.idle_minutes:g}"))
    return 0


def _stop_background() -> int:
    from bot.commands.daemon import stop_all

    stopped = stop_all()
    print(TEXTS["stopped"].format(pids=", ".join(map(str, stopped))) if stopped else TEXTS["none"])
    return 0
