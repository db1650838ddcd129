# The sidecar image: the package, its dependencies and the shipped demo model set.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY sidecar ./sidecar
COPY sdk/python ./sdk/python
RUN pip install --no-cache-dir '.[postgres,redis]'
COPY models ./models
ENV PERTINENT_DATA_DIR=/data PERTINENT_MODELS_DIR=/app/models
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=2s CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=1)"
CMD ["pertinent", "serve", "--host", "0.0.0.0", "--port", "8000"]
