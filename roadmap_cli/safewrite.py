"""Writing a file safely: the one home of roadmap-cli's writes. Roadmap files are written with
git's lockfile discipline; output files (``export -o``, ``report -o``) are replaced in one step.

:func:`replace_file` (an edit of an existing file):

1. resolve symbolic links: the real file is replaced, the link stays a link;
2. refuse a read-only file (exit 3). "Read-only" is decided by the **mode bits** (the owner's
   write bit, ``S_IWUSR``, is clear: ``chmod a-w``, ``chmod 0444``) and, for other users, by
   ``os.access``. ``os.access`` alone is not enough: for root it always says "writable", and a
   file someone made read-only on purpose should stay unedited whoever runs the command;
3. take ``<file>.lock`` with ``O_CREAT | O_EXCL``; when it exists another edit holds it: refuse
   (exit 3) and never delete it;
4. re-read the file and compare its SHA-256 with the content the edit was computed from; refuse
   (exit 3) when it changed (content, not modification time, decides);
5. write the new content into the lock file, flush, give it the file's mode (and, for root, its
   owner), ``fsync``, then ``os.replace`` it over the file and ``fsync`` the folder.

On any failure before the replace, the original file is untouched and the lock file is
removed: nothing is left behind. :func:`create_file` writes a new file the same way and refuses
to overwrite one that exists.

What this cannot prevent: a program that writes the file without taking the lock between step 4
and step 5 (a text editor saving at that very moment) loses its write. git has the same window.

:func:`output_file` and :func:`write_output_file` (an output the command makes, e.g. a calendar,
written as it is built): written to a temporary file in the same folder that then replaces the
target in one step (a reader never sees half a file); a replaced file keeps its mode (and, for
root, its owner); a link, a named pipe, a device or a folder is never replaced.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
from collections.abc import Iterator
from typing import BinaryIO

from roadmap_cli.errors import UsageError, WriteConflict
from roadmap_cli.i18n import _, os_reason

LOCK_SUFFIX = ".lock"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_read_only(st: os.stat_result, path: str) -> bool:
    """Read-only by its mode bits (even for root), or not writable by this user."""
    return not (st.st_mode & stat.S_IWUSR) or not os.access(path, os.W_OK)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _fsync_dir(folder: str) -> None:
    """Make the rename durable. Some file systems cannot fsync a folder: that is not an error."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _exists(path: str) -> WriteConflict:
    return WriteConflict(
        _("roadmap: {file} already exists; nothing was written (refusing to overwrite)").format(file=path)
    )


def _take_lock(lock: str, shown: str, mode: int = 0o600) -> int:
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        return os.open(lock, flags, mode)
    except FileExistsError:
        raise WriteConflict(
            _("roadmap: {file} is locked by another edit ({lock} exists); nothing was written. "
              "If no other `roadmap update` is running, a crashed one left it: remove the .lock "
              "file and try again").format(file=shown, lock=lock)
        ) from None
    except OSError as e:
        raise WriteConflict(
            _("roadmap: {file}: cannot create the lock file {lock}: {reason}; "
              "nothing was written").format(file=shown, lock=lock, reason=os_reason(e))
        ) from None


def replace_file(path: str, expected: bytes, new: bytes) -> None:
    """Replace the content of ``path`` (read earlier as ``expected``) with ``new``, or refuse with
    :class:`WriteConflict` (exit 3), leaving the file and its folder as they were."""
    real = os.path.realpath(path)
    try:
        st = os.stat(real)
    except FileNotFoundError:
        raise WriteConflict(
            _("roadmap: {file} was removed since it was read; nothing was written").format(file=path)
        ) from None
    if not stat.S_ISREG(st.st_mode):
        raise WriteConflict(
            _("roadmap: {file} is not a regular file; nothing was written").format(file=path)
        )
    if is_read_only(st, real):
        raise WriteConflict(
            _("roadmap: {file} is read-only; nothing was written (make it writable, e.g. "
              "`chmod u+w`, to edit it)").format(file=path)
        )
    lock = real + LOCK_SUFFIX
    fd = _take_lock(lock, path)
    replaced = False
    try:
        try:
            with open(real, "rb") as f:
                current = f.read()
        except OSError as e:
            raise WriteConflict(
                _("roadmap: {file} cannot be read again before writing: {reason}; "
                  "nothing was written").format(file=path, reason=os_reason(e))
            ) from None
        if digest(current) != digest(expected):
            raise WriteConflict(
                _("roadmap: {file} changed on disk since it was read; nothing was written. "
                  "Run the command again to apply the change to the new content").format(file=path)
            )
        _write_all(fd, new)
        os.fchmod(fd, stat.S_IMODE(st.st_mode))
        if hasattr(os, "geteuid") and os.geteuid() == 0 and (st.st_uid, st.st_gid) != (0, 0):
            try:
                os.fchown(fd, st.st_uid, st.st_gid)
            except OSError:
                pass
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(lock, real)
        replaced = True
    except OSError as e:
        raise WriteConflict(
            _("roadmap: {file}: the write failed: {reason}; the file is unchanged").format(
                file=path, reason=os_reason(e))
        ) from None
    finally:
        if fd >= 0:
            os.close(fd)
        if not replaced:
            try:
                os.unlink(lock)
            except OSError:
                pass
    _fsync_dir(os.path.dirname(real) or ".")


def refuse_a_folder_led_out(path: str) -> None:
    """A :class:`UsageError` (exit 2) when the folder ``path`` is to be written in is led out
    of the checkout by a link (:func:`roadmap_cli.sources.led_out_of_the_checkout`): a link committed as
    ``reports -> /elsewhere`` must not turn ``-o reports/r.html`` into a write there."""
    from roadmap_cli.sources import led_out_of_the_checkout

    folder = os.path.dirname(os.path.abspath(path))
    if led_out_of_the_checkout(folder):
        raise UsageError(_(
            "roadmap: cannot write {path}: its folder leads outside the current folder through a "
            "symbolic link (to {real}); nothing was written (give that path itself if it is meant)"
        ).format(path=path, real=os.path.realpath(folder)))


def create_file(path: str, data: bytes) -> None:
    """Write a new file ``path``; refuse (exit 3) when it exists. Written whole or not at all.
    A folder that a link leads out of the current folder is refused (exit 2)."""
    refuse_a_folder_led_out(path)
    folder = os.path.realpath(os.path.dirname(path) or ".")
    real = os.path.join(folder, os.path.basename(path))
    if os.path.lexists(real):
        raise _exists(path)
    lock = real + LOCK_SUFFIX
    fd = _take_lock(lock, path, 0o666)  # the umask applies, as for any new file
    try:
        _write_all(fd, data)
        os.fsync(fd)
        os.close(fd)
        fd = -1
        try:
            os.link(lock, real)  # fails when the file appeared meanwhile: never overwrites
        except FileExistsError:
            raise _exists(path) from None
        except OSError as e:
            if e.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
                raise
            # no hard links on this file system: an exclusive create, then the content
            try:
                out = os.open(real, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except FileExistsError:
                raise _exists(path) from None
            try:
                with open(lock, "rb") as src:
                    _write_all(out, src.read())
                os.fsync(out)
            finally:
                os.close(out)
    finally:
        if fd >= 0:
            os.close(fd)
        try:
            os.unlink(lock)
        except OSError:
            pass
    _fsync_dir(folder)


def _new_temporary(folder: str) -> tuple[int, str]:
    """A new file ``.roadmap-XXXXXXXXXXXX.tmp`` in ``folder`` (mode 0600, opened for writing),
    made as ``tempfile.mkstemp`` makes one (exclusively, never through a link) without
    importing tempfile (which imports shutil, random and the compressors: 2 ms of a run)."""
    from roadmap_cli.cachedir import create_file  # (the one home of a new exclusive file)

    for _attempt in range(100):
        path = os.path.join(folder, f".roadmap-{os.urandom(6).hex()}.tmp")
        try:
            return create_file(path), path
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), folder)


def write_output_file(output: str, data: bytes) -> None:
    """Write ``data`` to the file ``output`` in one step (:func:`output_file`)."""
    with output_file(output) as fh:
        fh.write(data)


@contextlib.contextmanager
def output_file(output: str) -> Iterator[BinaryIO]:
    """An open binary file whose content replaces the file ``output`` in one step when the
    ``with`` block ends without an error: written through a temporary file in the same folder
    (a reader never sees half a file; a writer can write its output as it builds it, without
    holding all of it). When the block raises, the temporary file is removed and ``output`` is
    untouched. A missing folder or a target that is not a regular file is a
    :class:`UsageError` (exit 2), raised before the block runs; a permission denied a
    :class:`WriteConflict` (exit 3). A folder that a link leads out of the current folder is
    refused too (:func:`refuse_a_folder_led_out`)."""
    refuse_a_folder_led_out(output)
    folder = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(folder):
        raise UsageError(_("roadmap: cannot write {output}: no folder {folder}").format(output=output, folder=folder))
    try:
        st: os.stat_result | None = os.lstat(output)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise UsageError(_("roadmap: cannot write {output}: {reason}").format(output=output, reason=os_reason(e))) from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        from roadmap_cli.sources import not_regular

        # a link, a named pipe, a device (/dev/null as root) or a folder is never replaced
        raise UsageError(
            _("roadmap: cannot write {output}: it is {what}, not a regular file; give a file name, "
              "or leave out -o to write to standard output").format(output=output, what=not_regular(st.st_mode))
        )
    if st is not None:
        mode = stat.S_IMODE(st.st_mode)  # a replaced file keeps its mode (0600 stays 0600)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        fd, tmp = _new_temporary(folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                yield fh
                if st is not None and hasattr(os, "geteuid") and os.geteuid() == 0:
                    try:
                        os.fchown(fh.fileno(), st.st_uid, st.st_gid)  # root keeps the owner
                    except OSError:
                        pass
            os.chmod(tmp, mode)  # our own new file (mkstemp made it 0600)
            os.replace(tmp, output)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    except PermissionError as e:
        raise WriteConflict(_("roadmap: cannot write {output}: {reason}").format(output=output, reason=os_reason(e))) from None
    except OSError as e:
        raise UsageError(_("roadmap: cannot write {output}: {reason}").format(output=output, reason=os_reason(e))) from None
